package io.netsvc.nodeagent.netpol.model;

import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.DST_SET_PREFIX;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.POD_CHAIN_PREFIX;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.POLICY_CHAIN_PREFIX;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.SRC_SET_PREFIX;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.hash;
import static io.netsvc.nodeagent.netpol.model.KubeRouterNames.setName;

import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.config.ip.IpFamily;

/**
 * netsvc's chain and set names: kube-router's prefixes and hash H over the same inputs, but stable.
 * kube-router renames every chain on every sync (the per-sync version is hashed in) and replaces
 * the whole table; netsvc edits chains in place, so a name must stay the same while its object
 * does. The inputs are joined with "/" (kube-router concatenates, so {@code a}+{@code bc} and
 * {@code ab}+{@code c} collide), and the version slot holds what distinguishes netsvc's extra
 * objects: the direction of a policy chain (D2), the index of an ipBlock peer (D4/D5), the
 * (protocol, port) of a named-port group (stable when other groups come and go).
 */
public final class Names {
  private Names() {}

  /** One chain per policy, direction and family, jumped to with {@code -d} or {@code -s}. */
  public static String policyChain(String ns, String name, Direction d, IpFamily f) {
    return POLICY_CHAIN_PREFIX + hash(ns + "/" + name + "/" + d.word() + "/" + f.kubernetesName());
  }

  /** One chain per local pod; the same name in both families, as kube-router's. */
  public static String podChain(String ns, String pod) {
    return POD_CHAIN_PREFIX + hash(ns + "/" + pod);
  }

  /** Pod peers of rule {@code i}: KUBE-SRC- for ingress, KUBE-DST- for egress. */
  public static String podPeerSet(String ns, String name, Direction d, int i, IpFamily f) {
    return set(peerPrefix(d), ns, name, d, i, "pod", f);
  }

  /** ipBlock peer {@code k} of rule {@code i}: a hash:net set of its own. */
  public static String ipBlockSet(String ns, String name, Direction d, int i, int k, IpFamily f) {
    return set(peerPrefix(d), ns, name, d, i, "ipblock/" + k, f);
  }

  /** The pods exposing a named port as (protocol, port): always matched as destination. */
  public static String namedPortSet(
      String ns, String name, Direction d, int i, String protocol, int port, IpFamily f) {
    return set(DST_SET_PREFIX, ns, name, d, i, "namedport/" + protocol + "/" + port, f);
  }

  /** The IPs of local pods whose chain is programmed (the ≥v2.10 default-deny set). */
  public static String localPodsSet(IpFamily f) {
    return setName(KubeRouterNames.LOCAL_PODS_SET, f);
  }

  private static String set(
      String prefix, String ns, String name, Direction d, int i, String what, IpFamily f) {
    String key = ns + "/" + name + "/" + d.word() + "rule/" + i + "/" + what + "/";
    return setName(prefix + hash(key + f.kubernetesName()), f);
  }

  private static String peerPrefix(Direction d) {
    return d == Direction.INGRESS ? SRC_SET_PREFIX : DST_SET_PREFIX;
  }
}
