package io.netsvc.nodeagent.netpol.conformance;

import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.util.Map;
import java.util.function.Function;

/** One step of a conformance case, in the order the upstream e2e test takes them. */
sealed interface Step {
  /** Create or replace a policy; it may depend on pod IPs ("x/b" → "10.128.…"). */
  record Apply(Function<Map<String, String>, NetworkPolicyInfo> policy) implements Step {}

  record Delete(String namespace, String name) implements Step {}

  record LabelNamespace(String namespace, String key, String value) implements Step {}

  record LabelPod(String pod, String key, String value) implements Step {}

  /** Probe every pair on this port and compare with the expected matrix. */
  record Probe(String protocol, int port, Truth expected) implements Step {}

  static Step apply(NetworkPolicyInfo p) {
    return new Apply(ips -> p);
  }

  static Step applyWithIps(Function<Map<String, String>, NetworkPolicyInfo> p) {
    return new Apply(p);
  }

  static Step probe(String protocol, int port, Truth expected) {
    return new Probe(protocol, port, expected);
  }

  static Step tcp(int port, Truth expected) {
    return new Probe("TCP", port, expected);
  }
}
