package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.function.Function;

/** A kind netsvc watches, always in all namespaces, and how to make its (not started) informer. */
public final class WatchKind<T extends HasMetadata> {
  public static final WatchKind<Service> SERVICES =
      new WatchKind<>("services", c -> c.services().inAnyNamespace().runnableInformer(0));
  public static final WatchKind<Node> NODES =
      new WatchKind<>("nodes", c -> c.nodes().runnableInformer(0));
  public static final WatchKind<Pod> PODS =
      new WatchKind<>("pods", c -> c.pods().inAnyNamespace().runnableInformer(0));
  public static final WatchKind<EndpointSlice> ENDPOINT_SLICES =
      new WatchKind<>(
          "endpointslices",
          c -> c.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0));
  public static final WatchKind<Namespace> NAMESPACES =
      new WatchKind<>("namespaces", c -> c.namespaces().runnableInformer(0));
  public static final WatchKind<NetworkPolicy> NETWORK_POLICIES =
      new WatchKind<>(
          "networkpolicies",
          c -> c.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0));

  /**
   * The label every svclb DaemonSet carries (K3s's {@code svccontroller.k3s.cattle.io/svcname}):
   * the DaemonSet informer lists only those, not every DaemonSet of the cluster.
   */
  public static final String SVCLB_LABEL = "svccontroller.k3s.cattle.io/svcname";

  /** The svclb DaemonSets (any namespace; readers keep those of the svclb namespace). */
  public static final WatchKind<DaemonSet> SVCLB_DAEMON_SETS =
      new WatchKind<>(
          "daemonsets",
          c -> c.apps().daemonSets().inAnyNamespace().withLabel(SVCLB_LABEL).runnableInformer(0));

  /** Every kind netsvc watches. */
  public static final List<WatchKind<?>> ALL =
      List.of(
          SERVICES, NODES, PODS, ENDPOINT_SLICES, NAMESPACES, NETWORK_POLICIES, SVCLB_DAEMON_SETS);

  private final String resource;
  private final Function<KubernetesClient, SharedIndexInformer<T>> informer;

  private WatchKind(String resource, Function<KubernetesClient, SharedIndexInformer<T>> informer) {
    this.resource = resource;
    this.informer = informer;
  }

  /** The API resource, e.g. {@code pods}. */
  public String resource() {
    return resource;
  }

  SharedIndexInformer<T> informer(KubernetesClient client) {
    return informer.apply(client);
  }

  @Override
  public String toString() {
    return resource;
  }
}
