package io.netsvc.actors.netpol;

import io.netsvc.k8s.EventSink;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** What the NetworkPolicy entities of one member need. */
public record NetpolDeps(ClusterSharding sharding, EventSink events) {}
