package io.netsvc.cluster;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.netpol.NetpolController;
import io.netsvc.actors.servicelb.ServiceLbController;
import io.netsvc.k8s.Informers;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What netsvc's Management routes and checks of a member need: the ServiceLB controller singleton's
 * proxy (null where ServiceLB is not wired), the node and NetworkPolicy singletons' proxies (which
 * names exist; the NetworkPolicy one null with {@code --disable-network-policy}), the member's
 * metrics, served on {@code /metrics}, and its informers, which {@code /ready} looks at (null for a
 * member without a Kubernetes client).
 */
public record ManagementDeps(
    ActorRef<ServiceLbController.Command> serviceLb,
    ActorRef<NodeController.Command> nodes,
    ActorRef<NetpolController.Command> netpol,
    PrometheusMeterRegistry metrics,
    Informers informers) {}
