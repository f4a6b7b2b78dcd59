package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.Eligibility;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.actors.servicelb.model.ServiceValidation;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.servicelb.model.Tolerations;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import io.netsvc.k8s.records.SvclbDaemonSetInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A ServiceActor's facts as the member's caches hold them: what a starting actor begins with, and
 * what a resync compares its facts with (a message lost in a shard hand-off shows up as a
 * difference).
 */
final class ServiceRebuild {
  private ServiceRebuild() {}

  /** The pool's members as its PoolActor would tell them, from the cached nodes. */
  record Pool(boolean allowListMode, List<NodeInfo> members) {}

  static Pool pool(ServiceLbCache cache, ServiceInfo svc) {
    List<NodeInfo> nodes = cache.nodes();
    return new Pool(
        Eligibility.allowListMode(nodes),
        Eligibility.poolMembers(nodes, svc.labels().getOrDefault(SvclbNames.LBPOOL_LABEL, "")));
  }

  /** Loads the pool's members into {@code facts}, as a pool answer would. */
  static Pool loadPool(ServiceLbCache cache, ServiceInfo svc, ServiceFacts facts) {
    Pool pool = pool(cache, svc);
    facts.allowListMode = pool.allowListMode();
    facts.candidates = pool.members();
    return pool;
  }

  /** Loads the Service, its svclb pods and EndpointSlices into {@code facts}. */
  static void loadObjects(ServiceLbCache cache, ServiceInfo svc, ServiceFacts facts) {
    facts.svc = svc;
    facts.pods.clear();
    facts.slices.clear();
    facts.pods.putAll(pods(cache, svc.key()));
    facts.slices.putAll(slices(cache, svc.key()));
  }

  /**
   * The nodes the deployed DaemonSet of {@code svc} was granted (its node affinity, or every
   * eligible node when it has none), if it is deployed for the Service's current ports: a rebuilt
   * actor takes these as granted until the ledgers answer its claims again, so its first plan is
   * the one in force and nothing shrinks meanwhile.
   */
  static SortedSet<String> grantedByDaemonSet(
      ServiceLbCache cache, String lbNamespace, ServiceInfo svc, Pool pool, Set<PortKey> ports) {
    SortedSet<String> out = new TreeSet<>();
    if (!ServiceValidation.problems(svc).isEmpty()) return out;
    String name = ServiceActor.daemonSetName(svc);
    Optional<SvclbDaemonSetInfo> ds = cache.daemonSet(lbNamespace, name);
    if (ds.isEmpty()) return out;
    Set<PortKey> deployed =
        ds.get().hostPorts().stream()
            .map(h -> new PortKey(h.port(), h.protocol()))
            .collect(Collectors.toCollection(TreeSet::new));
    if (!deployed.equals(ports)) return out;
    SortedSet<String> eligible;
    try {
      eligible =
          Eligibility.eligibleNodes(
              pool.members(),
              svc.labels().getOrDefault(SvclbNames.LBPOOL_LABEL, ""),
              Tolerations.forService(svc));
    } catch (IllegalArgumentException e) { // a bad annotation: the plan reports it
      return out;
    }
    if (ds.get().nodes().isEmpty()) return eligible;
    for (String n : ds.get().nodes()) if (eligible.contains(n)) out.add(n);
    return out;
  }

  /**
   * How {@code facts} differ from the caches (empty: they agree). {@code pooled}: the actor is
   * subscribed to a pool, so its candidates are compared too.
   */
  static List<String> differences(
      ServiceLbCache cache, String key, ServiceFacts facts, boolean pooled) {
    List<String> out = new ArrayList<>();
    Optional<ServiceInfo> svc = cache.service(key);
    if (svc.isEmpty()) {
      out.add("the Service is gone");
      return out;
    }
    if (!svc.get().equals(facts.svc)) out.add("the Service");
    if (!pods(cache, key).equals(facts.pods)) out.add("svclb pods");
    if (!slices(cache, key).equals(facts.slices)) out.add("EndpointSlices");
    if (pooled) {
      Pool pool = pool(cache, svc.get());
      if (!Objects.equals(pool.members(), facts.candidates)
          || pool.allowListMode() != facts.allowListMode) {
        out.add("the pool's nodes");
      }
    }
    return out;
  }

  private static Map<String, PodInfo> pods(ServiceLbCache cache, String key) {
    Map<String, PodInfo> out = new TreeMap<>();
    cache.svclbPods(key).forEach(p -> out.put(p.name(), p));
    return out;
  }

  private static Map<String, List<String>> slices(ServiceLbCache cache, String key) {
    Map<String, List<String>> out = new TreeMap<>();
    for (EndpointSliceInfo e : cache.endpointSlices(key)) out.put(e.name(), e.readyPodNodes());
    return out;
  }
}
