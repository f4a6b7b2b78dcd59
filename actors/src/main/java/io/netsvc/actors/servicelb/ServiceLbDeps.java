package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.k8s.ServiceLbApi;
import java.time.Duration;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** What the ServiceLB entities of one member need: the API writer, render options, sharding. */
public record ServiceLbDeps(
    ServiceLbApi api, RenderOptions render, ClusterSharding sharding, Duration retryBackoff) {}
