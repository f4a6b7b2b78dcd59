package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of one namespace by name, immutable and persistent: the pods are spread over a fixed
 * number of buckets by name, and a change copies the bucket array and the one bucket it touches, so
 * a pod event in a namespace of thousands of pods copies a few dozen entries, not all of them, and
 * the versions share the rest.
 */
final class PodTable {
  private static final int BUCKETS = 32;

  @SuppressWarnings("unchecked")
  static final PodTable EMPTY = new PodTable(emptyBuckets(), 0);

  private final Map<String, NetpolPod>[] buckets;
  private final int size;

  private PodTable(Map<String, NetpolPod>[] buckets, int size) {
    this.buckets = buckets;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, NetpolPod>[] emptyBuckets() {
    Map<String, NetpolPod>[] b = new Map[BUCKETS];
    Arrays.fill(b, Map.of());
    return b;
  }

  private static int bucket(String name) {
    return Math.floorMod(name.hashCode(), BUCKETS);
  }

  @SuppressWarnings("unchecked")
  static PodTable of(Collection<NetpolPod> pods) {
    List<Map<String, NetpolPod>> grown = new ArrayList<>();
    for (int i = 0; i < BUCKETS; i++) grown.add(new HashMap<>());
    for (NetpolPod p : pods) grown.get(bucket(p.name())).put(p.name(), p);
    Map<String, NetpolPod>[] b = new Map[BUCKETS];
    int size = 0;
    for (int i = 0; i < BUCKETS; i++) {
      b[i] = Map.copyOf(grown.get(i));
      size += b[i].size();
    }
    return new PodTable(b, size);
  }

  NetpolPod get(String name) {
    return buckets[bucket(name)].get(name);
  }

  PodTable with(NetpolPod pod) {
    int i = bucket(pod.name());
    Map<String, NetpolPod> next = new HashMap<>(buckets[i]);
    boolean added = next.put(pod.name(), pod) == null;
    return replaced(i, next, added ? size + 1 : size);
  }

  PodTable without(String name) {
    int i = bucket(name);
    if (!buckets[i].containsKey(name)) return this;
    Map<String, NetpolPod> next = new HashMap<>(buckets[i]);
    next.remove(name);
    return replaced(i, next, size - 1);
  }

  private PodTable replaced(int i, Map<String, NetpolPod> bucket, int newSize) {
    Map<String, NetpolPod>[] b = buckets.clone();
    b[i] = Map.copyOf(bucket);
    return new PodTable(b, newSize);
  }

  int size() {
    return size;
  }

  List<NetpolPod> values() {
    List<NetpolPod> out = new ArrayList<>(size);
    for (Map<String, NetpolPod> b : buckets) out.addAll(b.values());
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodTable t && size == t.size && Arrays.equals(buckets, t.buckets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(buckets);
  }
}
