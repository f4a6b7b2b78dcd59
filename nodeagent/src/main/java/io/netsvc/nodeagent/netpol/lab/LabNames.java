package io.netsvc.nodeagent.netpol.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Deterministic names of the lab's namespaces and links. Pods get {@code <prefix>-<ns>-<pod>};
 * nodes {@code <prefix>_node_<node>} and the fabric {@code <prefix>_fabric}, where the underscore,
 * which Kubernetes names cannot contain, keeps them apart from every pod name. Names longer than
 * {@link #MAX_NETNS_NAME} are cut and end in a hash of the full name; link names fit the kernel's
 * 15 characters by being hashes.
 */
public final class LabNames {
  private LabNames() {}

  /** Netns names are files under /var/run/netns; kept far below NAME_MAX to stay readable. */
  public static final int MAX_NETNS_NAME = 64;

  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");

  /** Rejects prefixes that could not start a netns name or would be too long to leave room. */
  public static String checkPrefix(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "lab prefix must be 1-20 of [a-z0-9-], starting alphanumeric: " + prefix);
    }
    return prefix;
  }

  public static String podNamespace(String prefix, String namespace, String pod) {
    return fit(prefix + "-" + namespace + "-" + pod);
  }

  public static String nodeNamespace(String prefix, String node) {
    return fit(prefix + "_node_" + node);
  }

  public static String fabricNamespace(String prefix) {
    return prefix + "_fabric";
  }

  /** Whether {@code netns} is one of the names a lab with {@code prefix} creates. */
  public static boolean belongsTo(String prefix, String netns) {
    return netns.startsWith(prefix + "-") || netns.startsWith(prefix + "_");
  }

  /** A link name (≤ 15 characters) unique per {@code key}: {@code kind} + 10 hex digits. */
  static String link(char kind, String key) {
    return kind + sha256Hex(key).substring(0, 10);
  }

  static String fit(String name) {
    if (name.length() <= MAX_NETNS_NAME) {
      return name;
    }
    return name.substring(0, MAX_NETNS_NAME - 9) + "-" + sha256Hex(name).substring(0, 8);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
