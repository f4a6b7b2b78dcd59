package io.netsvc.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The entities of one type that asked an entity to hear about its changes (ServiceActors of a pool,
 * NetworkPolicyActors of a namespace), addressed through sharding so they are reached wherever they
 * live now.
 */
public final class Subscribers<M> {
  private final ClusterSharding sharding;
  private final EntityTypeKey<M> type;
  private final Set<String> keys = new TreeSet<>();

  public Subscribers(ClusterSharding sharding, EntityTypeKey<M> type) {
    this.sharding = sharding;
    this.type = type;
  }

  /** Subscribes {@code key}; it hears {@code current} now, if there is anything to hear yet. */
  public void add(String key, M current) {
    keys.add(key);
    if (current != null) tell(key, current);
  }

  public boolean contains(String key) {
    return keys.contains(key);
  }

  public void remove(String key) {
    keys.remove(key);
  }

  /** Every subscriber hears {@code message}. */
  public void tellAll(M message) {
    keys.forEach(key -> tell(key, message));
  }

  /** The subscribers' entity ids, sorted. */
  public List<String> keys() {
    return new ArrayList<>(keys);
  }

  private void tell(String key, M message) {
    sharding.entityRefFor(type, key).tell(message);
  }
}
