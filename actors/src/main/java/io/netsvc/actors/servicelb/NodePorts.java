package io.netsvc.actors.servicelb;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * ServiceLB's part of a NodeActor: the node's host-port ledger (one writer per fact), so two
 * LoadBalancer Services are never granted the same port on the same node. Grants are all-or-nothing
 * per Service, first come first served by creation time; ordinary pods with hostPort always keep
 * theirs. Every decision a change alters goes to the Service's ServiceActor.
 */
public final class NodePorts implements NodeParts.Ports {
  private final String node;
  private final ClusterSharding sharding;
  private final PortLedger ledger = new PortLedger();

  private NodePorts(String node, ClusterSharding sharding) {
    this.node = node;
    this.sharding = sharding;
  }

  /** The ledgers of the nodes, answering the ServiceActors through {@code sharding}. */
  public static NodeParts.Ports.Factory factory(ClusterSharding sharding) {
    return node -> new NodePorts(node, sharding);
  }

  @Override
  public void claim(String serviceKey, String creationTimestamp, Set<PortKey> ports) {
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
    ledger.release(serviceKey).forEach(this::tell);
  }

  @Override
  public void podPorts(String podKey, Set<PortKey> ports) {
    ledger.podPorts(podKey, ports).forEach(this::tell);
  }

  @Override
  public List<NodeActor.Held> held() {
    List<NodeActor.Held> held = new ArrayList<>();
    ledger
        .holders()
        .forEach((k, h) -> held.add(new NodeActor.Held(k.toString(), kindName(h), h.key())));
    return held;
  }

  @Override
  public List<NodeActor.Waiting> waiting() {
    List<NodeActor.Waiting> waiting = new ArrayList<>();
    for (String svc : ledger.claimants()) {
      ledger
          .decision(svc)
          .filter(d -> !d.granted())
          .ifPresent(d -> waiting.add(new NodeActor.Waiting(svc, conflictsOf(d))));
    }
    return waiting;
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
