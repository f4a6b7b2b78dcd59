package io.netsvc.nodeagent.netpol.conformance;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A conformance case's policy as the NetworkPolicy object a user would write: the cases are data
 * for the dataplane, this writes them for the API.
 */
final class ApiPolicies {
  private ApiPolicies() {}

  static NetworkPolicy toApi(NetworkPolicyInfo p) {
    NetworkPolicyBuilder b =
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withNamespace(p.namespace())
            .withName(p.name())
            .endMetadata()
            .withNewSpec()
            .withPodSelector(selector(p.podSelector()))
            .withPolicyTypes(p.policyTypes())
            .endSpec();
    NetworkPolicy out = b.build();
    if (p.ingress() != null) {
      List<NetworkPolicyIngressRule> rules = new ArrayList<>();
      for (NetworkPolicyInfo.Rule r : p.ingress()) {
        rules.add(new NetworkPolicyIngressRule(peers(r), ports(r)));
      }
      out.getSpec().setIngress(rules);
    }
    if (p.egress() != null) {
      List<NetworkPolicyEgressRule> rules = new ArrayList<>();
      for (NetworkPolicyInfo.Rule r : p.egress()) {
        rules.add(new NetworkPolicyEgressRule(ports(r), peers(r)));
      }
      out.getSpec().setEgress(rules);
    }
    return out;
  }

  static LabelSelector selector(SelectorInfo s) {
    if (s == null) return null;
    List<LabelSelectorRequirement> exprs = new ArrayList<>();
    for (SelectorInfo.Requirement r : s.matchExpressions()) {
      exprs.add(
          new LabelSelectorRequirement(
              r.key(), r.operator(), r.values().isEmpty() ? null : r.values()));
    }
    return new LabelSelector(
        exprs.isEmpty() ? null : exprs,
        s.matchLabels().isEmpty() ? null : new LinkedHashMap<>(s.matchLabels()));
  }

  private static List<NetworkPolicyPeer> peers(NetworkPolicyInfo.Rule r) {
    List<NetworkPolicyPeer> out = new ArrayList<>();
    for (NetworkPolicyInfo.Peer peer : r.peers()) {
      IPBlock block =
          peer.ipBlock() == null
              ? null
              : new IPBlock(
                  peer.ipBlock().cidr(),
                  peer.ipBlock().except().isEmpty() ? null : peer.ipBlock().except());
      out.add(
          new NetworkPolicyPeer(
              block, selector(peer.namespaceSelector()), selector(peer.podSelector())));
    }
    return out.isEmpty() ? null : out;
  }

  private static List<NetworkPolicyPort> ports(NetworkPolicyInfo.Rule r) {
    List<NetworkPolicyPort> out = new ArrayList<>();
    for (NetworkPolicyInfo.Port port : r.ports()) {
      IntOrString value = null;
      if (port.port() != null) {
        value =
            port.port().matches("[0-9]+")
                ? new IntOrString(Integer.parseInt(port.port()))
                : new IntOrString(port.port());
      }
      out.add(new NetworkPolicyPort(port.endPort(), value, port.protocol()));
    }
    return out.isEmpty() ? null : out;
  }
}
