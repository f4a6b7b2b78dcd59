package io.netsvc.actors.netpol;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A policy whose one rule admits 10,000 peer pods: the largest message NetworkPolicy sends. */
public final class TenThousandPeers {
  public static final int PEERS = 10_000;

  private TenThousandPeers() {}

  /** 10,000 pods app=peer spread over 100 nodes, and one pod app=db on node n0. */
  public static List<NetpolPod> pods() {
    List<NetpolPod> pods = new ArrayList<>(PEERS + 1);
    for (int i = 0; i < PEERS; i++) {
      pods.add(
          new NetpolPod(
              "big",
              "peer-" + i,
              "n" + (i % 100),
              Map.of("app", "peer", "pod-template-hash", "5d8f7c9b6"),
              "10.42." + (i / 250) + "." + (i % 250 + 2),
              null,
              List.of(),
              false,
              false));
    }
    pods.add(
        new NetpolPod(
            "big", "db", "n0", Map.of("app", "db"), "10.43.0.2", null, List.of(), false, false));
    return pods;
  }

  public static NetworkPolicyInfo policy() {
    return new NetworkPolicyInfo(
        "big",
        "db-from-peers",
        "uid-big",
        Map.of(),
        new SelectorInfo(Map.of("app", "db"), List.of()),
        List.of("Ingress"),
        List.of(
            new NetworkPolicyInfo.Rule(
                List.of(
                    new NetworkPolicyInfo.Peer(
                        new SelectorInfo(Map.of("app", "peer"), List.of()), null, null)),
                List.of())),
        null);
  }

  public static CompiledPolicy compiled() {
    return PolicyCompiler.compile(policy(), List.of(new NamespaceInfo("big", Map.of())), pods());
  }

  /** Every pod of the namespace admits every other: 10,001 targets, 10,001 peers. */
  public static NetworkPolicyInfo sameNamespace() {
    return new NetworkPolicyInfo(
        "big",
        "same-namespace",
        "uid-same",
        Map.of(),
        new SelectorInfo(Map.of(), List.of()),
        List.of("Ingress"),
        List.of(
            new NetworkPolicyInfo.Rule(
                List.of(
                    new NetworkPolicyInfo.Peer(new SelectorInfo(Map.of(), List.of()), null, null)),
                List.of())),
        null);
  }

  public static CompiledPolicy compiledSameNamespace() {
    return PolicyCompiler.compile(
        sameNamespace(), List.of(new NamespaceInfo("big", Map.of())), pods());
  }
}
