package io.netsvc.cluster;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsvc.actors.servicelb.ServiceLbController;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What netsvc's Management routes of a member need: the ServiceLB controller singleton's proxy
 * (null where ServiceLB is not wired) and the member's metrics, served on {@code /metrics}.
 */
public record ManagementDeps(
    ActorRef<ServiceLbController.Command> serviceLb, PrometheusMeterRegistry metrics) {}
