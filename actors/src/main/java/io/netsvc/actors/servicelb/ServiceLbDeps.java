package io.netsvc.actors.servicelb;

import io.netsvc.actors.ResyncRepairs;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.k8s.ServiceLbApi;
import java.time.Duration;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What the ServiceLB entities of one member need: the API writer, render options, sharding, the
 * retry backoff, the member's informer caches (what a starting entity rebuilds from), the counter
 * of resync repairs and the operators' metrics.
 */
public record ServiceLbDeps(
    ServiceLbApi api,
    RenderOptions render,
    ClusterSharding sharding,
    Duration retryBackoff,
    ServiceLbCache cache,
    ResyncRepairs repairs,
    ServiceLbMetrics metrics) {

  /** Without caches (entities start empty and wait for their messages) or repair counts. */
  public ServiceLbDeps(
      ServiceLbApi api, RenderOptions render, ClusterSharding sharding, Duration retryBackoff) {
    this(api, render, sharding, retryBackoff, ServiceLbCache.NONE, ResyncRepairs.NONE);
  }

  /** Without metrics. */
  public ServiceLbDeps(
      ServiceLbApi api,
      RenderOptions render,
      ClusterSharding sharding,
      Duration retryBackoff,
      ServiceLbCache cache,
      ResyncRepairs repairs) {
    this(api, render, sharding, retryBackoff, cache, repairs, ServiceLbMetrics.NONE);
  }
}
