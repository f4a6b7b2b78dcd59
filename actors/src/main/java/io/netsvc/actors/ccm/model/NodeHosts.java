package io.netsvc.actors.ccm.model;

import io.netsvc.config.ip.IpAddress;
import io.netsvc.config.ip.IpAddress.Syntax;
import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code NodeHosts} key of ConfigMap kube-system/coredns: one {@code "<ip> <names>"} line per
 * node address, so pods resolve node names (K3s's server node controller). Both methods return the
 * very same string they were given when nothing changes, so the caller can skip the write.
 */
public final class NodeHosts {
  /** The ConfigMap and its key. */
  public static final String CONFIG_MAP = "coredns";

  public static final String KEY = "NodeHosts";

  private static final byte[] NOT_AN_IP = new byte[0];

  /**
   * K3s's line order: {@code bytes.Compare} of Go's 16-byte {@code net.ParseIP} forms. So IPv4
   * sorts inside ::ffff:0:0/96 — after {@code ::}, {@code ::1} and other ::/80 addresses, before
   * every address of 2000::/3, fc00::/7 and fe80::/10. Text that is not an IP sorts first (Go
   * compares a nil slice as empty). Go leaves ties in map order; the text breaks them here, for a
   * stable file.
   */
  static final Comparator<String> K3S_ORDER =
      Comparator.<String, byte[]>comparing(NodeHosts::sixteenOrEmpty, Arrays::compareUnsigned)
          .thenComparing(Comparator.naturalOrder());

  private NodeHosts() {}

  private static byte[] sixteenOrEmpty(String ip) {
    return IpAddress.parse(ip, Syntax.GO).map(IpAddress::to16).orElse(NOT_AN_IP);
  }

  /**
   * Puts the node's last IPv4 and last IPv6 InternalIP in the file under "node-name [hostname]" and
   * drops this node's lines with an IP it no longer has. A node without an InternalIP leaves the
   * file alone (K3s logs "No InternalIP addresses found").
   *
   * <p>As in K3s, a file whose entries for this node are already right is left as is, even if it
   * also holds a stale line for the node; the stale line goes with the next real change.
   */
  public static String sync(String existing, NodeInfo node) {
    String v4 = null;
    String v6 = null;
    String hostname = null;
    for (NodeAddress a : node.addresses()) {
      if (a.address() == null || a.address().isEmpty()) continue;
      // K3s tells the families apart by the colon, and the last address of a family wins
      if ("InternalIP".equals(a.type())) {
        if (a.address().contains(":")) v6 = a.address();
        else v4 = a.address();
      } else if ("Hostname".equals(a.type())) {
        hostname = a.address();
      }
    }
    if (v4 == null && v6 == null) return existing;
    // K3s would append an empty hostname and then never find the line in sync: add none
    String names =
        hostname == null || hostname.equals(node.name())
            ? node.name()
            : node.name() + " " + hostname;
    Map<String, String> entries = parse(existing, node.name(), v4, v6);
    boolean v4Ok = v4 == null || names.equals(entries.get(v4));
    boolean v6Ok = v6 == null || names.equals(entries.get(v6));
    if (v4Ok && v6Ok) return existing;
    if (v4 != null) entries.put(v4, names);
    if (v6 != null) entries.put(v6, names);
    return renderedOrSame(existing, entries);
  }

  /** Drops every line whose first name is the node (K3s, on node deletion). */
  public static String remove(String existing, String nodeName) {
    return renderedOrSame(existing, parse(existing, nodeName, null, null));
  }

  /**
   * IP → names of the lines kept: text after '#' is a comment, a line needs an IP and a name, the
   * last line for an IP wins, and a line of this node whose IP is not its current IP of the same
   * family (v4/v6 null: none) is dropped.
   */
  private static Map<String, String> parse(String text, String nodeName, String v4, String v6) {
    Map<String, String> out = new HashMap<>();
    if (text == null) return out;
    for (String line : text.split("\n", -1)) {
      int hash = line.indexOf('#');
      List<String> fields = fields(hash < 0 ? line : line.substring(0, hash));
      if (fields.size() < 2) continue;
      String ip = fields.get(0);
      if (fields.get(1).equals(nodeName) && !ip.equals(ip.contains(":") ? v6 : v4)) continue;
      out.put(ip, String.join(" ", fields.subList(1, fields.size())));
    }
    return out;
  }

  private static String renderedOrSame(String existing, Map<String, String> entries) {
    StringBuilder sb = new StringBuilder();
    entries.keySet().stream()
        .sorted(K3S_ORDER)
        .forEach(ip -> sb.append(ip).append(' ').append(entries.get(ip)).append('\n'));
    String rendered = sb.toString();
    return rendered.equals(existing == null ? "" : existing) ? existing : rendered;
  }

  /** Go's strings.Fields: runs of Unicode white space separate fields. */
  static List<String> fields(String s) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      if (isGoSpace(s.charAt(i))) {
        if (start >= 0) out.add(s.substring(start, i));
        start = -1;
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) out.add(s.substring(start));
    return out;
  }

  /** Go's unicode.IsSpace; unlike Character.isWhitespace it counts NBSP and not U+001C..1F. */
  private static boolean isGoSpace(char c) {
    if (c <= 0xff) {
      return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0;
    }
    return Character.isSpaceChar(c);
  }
}
