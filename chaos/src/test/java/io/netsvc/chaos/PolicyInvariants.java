package io.netsvc.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.actors.netpol.model.Selectors;
import io.netsvc.k8s.convert.NetpolConvert;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every NetworkPolicy is realised on exactly the nodes it targets: the nodes of the running pods
 * its podSelector selects, read from the API. Checked from both sides over Management HTTP: the
 * policy's entity ({@code GET /netpol/policies/{ns}/{name}}: the nodes it was sent to, and which of
 * them applied that generation) and each node ({@code GET /netpol/nodes/{node}}: the policies its
 * agent last applied, which must be exactly those targeting it, none deleted).
 */
final class PolicyInvariants {
  private PolicyInvariants() {}

  /**
   * @param management GET of a Management path on a live server: 200 or 404 with its JSON, empty if
   *     no server answered
   */
  static List<String> violations(
      KubernetesClient c, Function<String, Optional<Management.Answer>> management) {
    List<NetworkPolicy> policies =
        c.network().v1().networkPolicies().inAnyNamespace().list().getItems();
    List<NetpolPod> pods =
        c.pods().inAnyNamespace().list().getItems().stream()
            .map(NetpolConvert::pod)
            .filter(p -> p.actionable() && p.nodeName() != null)
            .toList();
    List<String> nodes =
        c.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
    List<String> out = new ArrayList<>();
    // node -> policy key -> the generation it was sent
    Map<String, Map<String, Long>> wanted = new TreeMap<>();
    for (NetworkPolicy np : policies) {
      NetworkPolicyInfo p = NetpolConvert.policy(np);
      String key = p.namespace() + "/" + p.name();
      Set<String> targets = targetNodes(p, pods);
      Optional<Management.Answer> a = management.apply("/netpol/policies/" + key);
      if (a.isEmpty() || a.get().code() != 200) {
        out.add(
            "NetworkPolicy "
                + key
                + ": no server tells where it is realised ("
                + a.map(String::valueOf).orElse("no answer")
                + ")");
        continue;
      }
      JsonNode status = a.get().body();
      Map<String, Long> sent = longs(status.path("sent"));
      Map<String, Long> realised = longs(status.path("realised"));
      if (!sent.keySet().equals(targets)) {
        out.add(
            "NetworkPolicy "
                + key
                + " selects pods on nodes "
                + targets
                + " but was sent to "
                + sent.keySet());
      }
      for (String node : targets) {
        Long gen = sent.get(node);
        if (gen == null) continue;
        wanted.computeIfAbsent(node, k -> new TreeMap<>()).put(key, gen);
        if (!gen.equals(realised.get(node))) {
          out.add(
              "NetworkPolicy "
                  + key
                  + " generation "
                  + gen
                  + " is not realised on node "
                  + node
                  + " (it reported "
                  + realised.get(node)
                  + ")");
        }
      }
    }
    for (String node : nodes) out.addAll(onNode(node, wanted, management));
    return out;
  }

  /** The nodes of the actionable pods that {@code p} selects in its namespace. */
  static Set<String> targetNodes(NetworkPolicyInfo p, List<NetpolPod> pods) {
    Set<String> out = new TreeSet<>();
    for (NetpolPod pod : pods) {
      if (pod.namespace().equals(p.namespace()) && Selectors.matches(p.podSelector(), pod.labels()))
        out.add(pod.nodeName());
    }
    return out;
  }

  private static List<String> onNode(
      String node,
      Map<String, Map<String, Long>> wanted,
      Function<String, Optional<Management.Answer>> management) {
    Map<String, Long> want = wanted.getOrDefault(node, Map.of());
    Optional<Management.Answer> a = management.apply("/netpol/nodes/" + node);
    if (a.isEmpty() || a.get().code() != 200) {
      return List.of(
          "node "
              + node
              + ": no server tells its applied NetworkPolicies ("
              + a.map(String::valueOf).orElse("no answer")
              + ")");
    }
    Map<String, Long> held = longs(a.get().body().path("applied").path("policies"));
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Long> h : held.entrySet()) {
      if (!want.containsKey(h.getKey())) {
        out.add(
            "node "
                + node
                + " holds NetworkPolicy "
                + h.getKey()
                + " (generation "
                + h.getValue()
                + "), which is deleted or does not select a pod there");
      } else if (!want.get(h.getKey()).equals(h.getValue())) {
        out.add(
            "node "
                + node
                + " holds NetworkPolicy "
                + h.getKey()
                + " at generation "
                + h.getValue()
                + ", its current one is "
                + want.get(h.getKey()));
      }
    }
    for (String key : want.keySet()) {
      if (!held.containsKey(key)) {
        out.add("node " + node + "'s applied ruleset lacks NetworkPolicy " + key);
      }
    }
    return out;
  }

  private static Map<String, Long> longs(JsonNode obj) {
    Map<String, Long> out = new TreeMap<>();
    obj.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }
}
