package io.netsvc.actors.servicelb;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ServiceLB's part of a NodeActor: the node's host-port ledger (one writer per fact), so two
 * LoadBalancer Services are never granted the same port on the same node. Grants are all-or-nothing
 * per Service and sticky: a Service keeps a port it was granted, older Services that come later
 * wait, and ordinary pods with hostPort always keep theirs. Every decision a change alters goes to
 * the Service's ServiceActor.
 *
 * <p>A NodeActor that starts (first message, a restart, a move after a crash) first recovers the
 * current holders from the member's caches ({@link NodeRecovery}): the Services whose svclb
 * DaemonSet runs here and the hostPort pods. Until the caches have synced, claims wait, so an older
 * Service that claims right after the restart cannot take a serving Service's port. If the caches
 * do not sync in time, claims are decided without them and the holders recovered later still win
 * back their ports (a deployed Service beats any grant), the others being told.
 */
public final class NodePorts implements NodeParts.Ports {
  private static final Logger log = LoggerFactory.getLogger(NodePorts.class);
  static final Duration UNSYNCED_RECHECK = Duration.ofSeconds(1);
  static final int UNSYNCED_CHECKS_BEFORE_DECIDING = 5;
  static final Duration HOLDER_RECHECK = Duration.ofSeconds(15);

  private record Pending(String creationTimestamp, Set<PortKey> ports) {}

  private final String node;
  private final ClusterSharding sharding;
  private final NodeRecovery recovery;
  private final Duration holderRecheck;
  private final PortLedger ledger = new PortLedger();
  private final ServiceLbMetrics metrics;
  // what the metrics were last told: ports held by Services, by pods
  private int reportedServicePorts = -1;
  private int reportedPodPorts = -1;
  private boolean recovered;
  private int unsyncedChecks;
  // claims that came before the holders were recovered, decided in creation order after them
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Set<String> releasedEarly = new HashSet<>();
  // recovered holders whose ServiceActor has not claimed yet; dropped when no longer deployed
  private final Set<String> unconfirmed = new TreeSet<>();

  private NodePorts(
      String node,
      ClusterSharding sharding,
      ServiceLbCache cache,
      Duration holderRecheck,
      ServiceLbMetrics metrics) {
    this.node = node;
    this.sharding = sharding;
    this.recovery = new NodeRecovery(node, cache);
    this.holderRecheck = holderRecheck;
    this.metrics = metrics;
    recover();
    report();
  }

  /**
   * The ledgers of the nodes, answering the ServiceActors through {@code sharding} and recovering
   * their holders from {@code cache} when they start.
   */
  public static NodeParts.Ports.Factory factory(ClusterSharding sharding, ServiceLbCache cache) {
    return factory(sharding, cache, HOLDER_RECHECK);
  }

  /**
   * As {@link #factory(ClusterSharding, ServiceLbCache)}, looking again at recovered holders that
   * have not claimed every {@code holderRecheck} (tests shorten it).
   */
  public static NodeParts.Ports.Factory factory(
      ClusterSharding sharding, ServiceLbCache cache, Duration holderRecheck) {
    return factory(sharding, cache, holderRecheck, ServiceLbMetrics.NONE);
  }

  /** As {@link #factory(ClusterSharding, ServiceLbCache)}, reporting each ledger's usage. */
  public static NodeParts.Ports.Factory factory(
      ClusterSharding sharding, ServiceLbCache cache, ServiceLbMetrics metrics) {
    return factory(sharding, cache, HOLDER_RECHECK, metrics);
  }

  private static NodeParts.Ports.Factory factory(
      ClusterSharding sharding,
      ServiceLbCache cache,
      Duration holderRecheck,
      ServiceLbMetrics metrics) {
    return node -> new NodePorts(node, sharding, cache, holderRecheck, metrics);
  }

  /** The ports the ledger holds now, by holder kind, when that changed. */
  @Override
  public void report() {
    int services = ledger.serviceHeldPorts();
    int pods = ledger.podHeldPorts();
    if (services == reportedServicePorts && pods == reportedPodPorts) return;
    reportedServicePorts = services;
    reportedPodPorts = pods;
    metrics.ledger(node, services, pods);
  }

  @Override
  public void stopped() {
    metrics.ledger(node, -1, -1);
  }

  @Override
  public void claim(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
    releasedEarly.remove(serviceKey);
    if (!recover() && unsyncedChecks < UNSYNCED_CHECKS_BEFORE_DECIDING) {
      pending.put(serviceKey, new Pending(creationTimestamp, Set.copyOf(ports)));
      return;
    }
    decide(serviceKey, creationTimestamp, ports);
  }

  private void decide(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
    unconfirmed.remove(serviceKey);
    List<Decision> changed = ledger.claim(serviceKey, creationTimestamp, ports);
    // A repeated claim changes nothing in the ledger, but the claimant may have lost our answer
    // (it was restarted or moved), so it always hears its current decision.
    if (changed.stream().noneMatch(d -> d.serviceKey().equals(serviceKey))) {
      ledger.decision(serviceKey).ifPresent(this::tell);
    }
    changed.forEach(this::tell);
  }

  @Override
  public void release(String serviceKey) {
    if (!recover()) releasedEarly.add(serviceKey);
    pending.remove(serviceKey);
    unconfirmed.remove(serviceKey);
    ledger.release(serviceKey).forEach(this::tell);
  }

  @Override
  public void podPorts(String podKey, Set<PortKey> ports) {
    recover();
    ledger.podPorts(podKey, ports).forEach(this::tell);
  }

  @Override
  public Duration recheckIn() {
    if (!recovered) {
      // after that the caches are tried again at each message: claims come again on every resync
      return unsyncedChecks < UNSYNCED_CHECKS_BEFORE_DECIDING ? UNSYNCED_RECHECK : null;
    }
    return unconfirmed.isEmpty() ? null : holderRecheck;
  }

  @Override
  public void recheck() {
    if (!recovered && !recover() && ++unsyncedChecks >= UNSYNCED_CHECKS_BEFORE_DECIDING) {
      log.warn(
          "node {}: the informer caches have not synced; deciding {} claims without the deployed"
              + " holders, which win their ports back when they are recovered",
          node,
          pending.size());
      replayPending();
    }
    if (recovered && !unconfirmed.isEmpty()) {
      Set<String> stillHere = recovery.deployedHere(unconfirmed);
      for (String key : new ArrayList<>(unconfirmed)) {
        if (stillHere.contains(key)) continue;
        unconfirmed.remove(key);
        ledger.release(key).forEach(this::tell);
      }
    }
  }

  @Override
  public List<NodeActor.Held> held() {
    recover();
    List<NodeActor.Held> held = new ArrayList<>();
    ledger
        .holders()
        .forEach((k, h) -> held.add(new NodeActor.Held(k.toString(), kindName(h), h.key())));
    return held;
  }

  @Override
  public List<NodeActor.Waiting> waiting() {
    recover();
    List<NodeActor.Waiting> waiting = new ArrayList<>();
    for (String svc : ledger.claimants()) {
      ledger
          .decision(svc)
          .filter(d -> !d.granted())
          .ifPresent(d -> waiting.add(new NodeActor.Waiting(svc, conflictsOf(d))));
    }
    return waiting;
  }

  /** Loads the holders once the caches have synced; true when they are loaded. */
  private boolean recover() {
    if (recovered) return true;
    if (!recovery.synced()) return false;
    recovered = true;
    Set<String> touched = new TreeSet<>();
    int holders = 0;
    for (NodeRecovery.Holder h : recovery.deployed()) {
      if (releasedEarly.contains(h.serviceKey())) continue;
      holders++;
      if (ledger.decision(h.serviceKey()).isEmpty()) unconfirmed.add(h.serviceKey());
      ledger
          .hold(h.serviceKey(), h.creationTimestamp(), h.ports())
          .forEach(d -> touched.add(d.serviceKey()));
    }
    Map<String, Set<PortKey>> pods = recovery.hostPortPods();
    pods.forEach(
        (pod, ports) -> ledger.podPorts(pod, ports).forEach(d -> touched.add(d.serviceKey())));
    releasedEarly.clear();
    // A recovered holder hears its grant when its ServiceActor claims again; only those that lost
    // (to a pod, or to an older Service also deployed here: a corrupt state) are told now.
    for (String key : touched) ledger.decision(key).filter(d -> !d.granted()).ifPresent(this::tell);
    log.info(
        "node {}: ledger recovered {} deployed Services and {} hostPort pods",
        node,
        holders,
        pods.size());
    replayPending();
    return true;
  }

  private void replayPending() {
    List<Map.Entry<String, Pending>> waiting = new ArrayList<>(pending.entrySet());
    pending.clear();
    waiting.sort(
        Comparator.comparing(
                (Map.Entry<String, Pending> e) -> e.getValue().creationTimestamp(),
                Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(Map.Entry::getKey));
    for (var e : waiting) {
      decide(e.getKey(), e.getValue().creationTimestamp(), e.getValue().ports());
    }
  }

  private void tell(Decision d) {
    sharding
        .entityRefFor(ServiceActor.TYPE_KEY, d.serviceKey())
        .tell(new ServiceActor.PortDecision(node, d.granted(), conflictsOf(d)));
  }

  private List<Conflict> conflictsOf(Decision d) {
    return d.conflicts().stream()
        .map(c -> new Conflict(node, c.port().toString(), kindName(c.holder()), c.holder().key()))
        .toList();
  }

  private static String kindName(PortLedger.Holder h) {
    return h.kind() == PortLedger.Kind.POD ? "Pod" : "Service";
  }
}
