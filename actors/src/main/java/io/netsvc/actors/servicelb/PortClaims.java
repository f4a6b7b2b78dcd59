package io.netsvc.actors.servicelb;

import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The host ports one ServiceActor claimed on each node's ledger: claims follow the eligible nodes,
 * a changed claim forgets the ledger's earlier answer (it is asked again).
 */
final class PortClaims {
  private final String key;
  private final ServiceLbDeps deps;
  private final ServiceFacts facts;

  /** node → ports we claimed there. */
  private final TreeMap<String, Set<PortKey>> claimed = new TreeMap<>();

  PortClaims(String key, ServiceLbDeps deps, ServiceFacts facts) {
    this.key = key;
    this.deps = deps;
    this.facts = facts;
  }

  boolean on(String node) {
    return claimed.containsKey(node);
  }

  /** The nodes with a claim. */
  Set<String> nodes() {
    return claimed.keySet();
  }

  /** Taken as claimed (a rebuilt actor's deployed DaemonSet had them granted); not sent. */
  void assume(String node, Set<PortKey> ports) {
    claimed.put(node, ports);
  }

  /** Sends every claim again (a ledger may have been rebuilt). */
  void resend() {
    claimed.forEach(this::send);
  }

  /** Claims {@code ports} on exactly the eligible nodes; true if any claim changed. */
  boolean follow(SortedSet<String> eligible, Set<PortKey> ports) {
    boolean changed = false;
    for (var it = claimed.keySet().iterator(); it.hasNext(); ) {
      String node = it.next();
      if (!eligible.contains(node)) {
        it.remove();
        facts.decisions.remove(node);
        nodeRef(node).tell(new NodeActor.ReleasePorts(key));
        changed = true;
      }
    }
    for (String node : eligible) {
      if (!ports.equals(claimed.get(node))) {
        claimed.put(node, ports);
        facts.decisions.remove(node);
        send(node, ports);
        changed = true;
      }
    }
    return changed;
  }

  void releaseAll() {
    claimed.keySet().forEach(n -> nodeRef(n).tell(new NodeActor.ReleasePorts(key)));
    claimed.clear();
    facts.decisions.clear();
  }

  private void send(String node, Set<PortKey> ports) {
    nodeRef(node).tell(new NodeActor.ClaimPorts(key, facts.svc.creationTimestamp(), ports));
  }

  private EntityRef<NodeActor.Command> nodeRef(String node) {
    return deps.sharding().entityRefFor(NodeActor.TYPE_KEY, node);
  }

  /** The host ports the Service's svclb pod needs. */
  static Set<PortKey> ports(ServiceInfo svc) {
    return svc.ports().stream()
        .map(p -> new PortKey(p.port(), p.protocol()))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
