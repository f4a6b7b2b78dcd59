package io.netsvc.nodeagent.netpol.model;

import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.config.ip.IpFamily;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * kube-router v2.6.3's names and constants, exactly, so netsvc's tables look like K3s's to people
 * and scripts. {@code H(s)} is the first 16 characters of RFC 4648 base32 of SHA-256(s); inputs are
 * concatenated without separators. kube-router's chain names also carry a per-sync version;
 * netsvc's own stable names ({@link Names}) use the same hash without it.
 */
public final class KubeRouterNames {
  private KubeRouterNames() {}

  public static final String INPUT_CHAIN = "KUBE-ROUTER-INPUT";
  public static final String FORWARD_CHAIN = "KUBE-ROUTER-FORWARD";
  public static final String OUTPUT_CHAIN = "KUBE-ROUTER-OUTPUT";
  public static final String POD_CHAIN_PREFIX = "KUBE-POD-FW-";
  public static final String POLICY_CHAIN_PREFIX = "KUBE-NWPLCY-";
  public static final String DEFAULT_CHAIN = "KUBE-NWPLCY-DEFAULT";
  public static final String COMMON_CHAIN = "KUBE-NWPLCY-COMMON";
  public static final String TAIL_CHAIN = "KUBE-NWPLCY-TAIL";
  public static final String SRC_SET_PREFIX = "KUBE-SRC-";
  public static final String DST_SET_PREFIX = "KUBE-DST-";
  public static final String LOCAL_PODS_SET = "kube-router-local-pods";
  public static final String IPV6_SET_PREFIX = "inet6:";
  public static final String TMP_SET_PREFIX = "TMP-";

  /** "A policy allowed this packet": scratch bit inside one pod chain. */
  public static final String MARK_ALLOWED = "0x10000";

  /** "Passed network policy": accepted by the built-in chains. */
  public static final String MARK_OK = "0x20000";

  public static final int NFLOG_GROUP = 100;

  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  /** {@code H(s)}: base32(SHA-256(s))[:16]. */
  public static String hash(String s) {
    return base32Prefix(digest("SHA-256", s), 16);
  }

  /** The target-pod set: DST for the ingress side, SRC for the egress side, one hash. */
  public static String targetSet(String ns, String name, Direction d, IpFamily f) {
    String prefix = d == Direction.INGRESS ? DST_SET_PREFIX : SRC_SET_PREFIX;
    return setName(prefix + hash(ns + name + f.kubernetesName()), f);
  }

  /** Peer pods of rule {@code i}: SRC for ingress, DST for egress. */
  public static String podPeerSet(String ns, String name, Direction d, int i, IpFamily f) {
    return setName(peerPrefix(d) + hash(ns + name + d.word() + "rule" + i + fam(f) + "pod"), f);
  }

  /** All ipBlocks of rule {@code i} in one hash:net set (the D4/D5 layout). */
  public static String ipBlockSet(String ns, String name, Direction d, int i, IpFamily f) {
    return setName(peerPrefix(d) + hash(ns + name + d.word() + "rule" + i + fam(f) + "ipblock"), f);
  }

  /** Named-port group {@code j} of rule {@code i} (always a DST set). */
  public static String namedPortSet(String ns, String name, Direction d, int i, int j, IpFamily f) {
    String h = hash(ns + name + d.word() + "rule" + i + j + fam(f) + "namedport");
    return setName(DST_SET_PREFIX + h, f);
  }

  /** {@code inet6:} before every IPv6 set name (31 characters at most). */
  public static String setName(String base, IpFamily f) {
    return f == IpFamily.IPV6 ? IPV6_SET_PREFIX + base : base;
  }

  /** The swap set for one option string, e.g. {@code hash:ip timeout 0}: TMP- + base32(SHA-1). */
  public static String tmpSet(String setOptions) {
    return TMP_SET_PREFIX + base32Prefix(digest("SHA-1", "tmp:" + setOptions), 16);
  }

  /** The UUID kube-router appends to fixed rules' comments: H(chain + join(spec, "")). */
  public static String ruleUuid(String chain, List<String> spec) {
    return hash(chain + String.join("", spec));
  }

  /** {@code kube-router netpol - <UUID>}: the comment of the jump from a built-in chain. */
  public static String entryJumpComment(String builtin) {
    String target = entryChain(builtin);
    String uuid =
        ruleUuid(
            builtin, List.of("-m", "comment", "--comment", "kube-router netpol", "-j", target));
    return "kube-router netpol - " + uuid;
  }

  /** KUBE-ROUTER-INPUT/FORWARD/OUTPUT for INPUT/FORWARD/OUTPUT. */
  public static String entryChain(String builtin) {
    return "KUBE-ROUTER-" + builtin;
  }

  private static String peerPrefix(Direction d) {
    return d == Direction.INGRESS ? SRC_SET_PREFIX : DST_SET_PREFIX;
  }

  private static String fam(IpFamily f) {
    return f.kubernetesName();
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }

  private static String base32Prefix(byte[] data, int chars) {
    StringBuilder sb = new StringBuilder(chars);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5 && sb.length() < chars) {
        sb.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
      if (sb.length() == chars) break;
    }
    return sb.toString();
  }
}
