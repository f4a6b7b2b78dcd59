package io.netsvc.actors.netpol;

import io.netsvc.k8s.EventSink;
import java.util.function.LongConsumer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What the NetworkPolicy entities of one member need: sharding, the event writer, and where the
 * time of each policy compilation is recorded (nanoseconds; the {@code /metrics} histogram).
 */
public record NetpolDeps(ClusterSharding sharding, EventSink events, LongConsumer compileNanos) {}
