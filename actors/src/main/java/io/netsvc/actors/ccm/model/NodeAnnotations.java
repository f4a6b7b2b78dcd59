package io.netsvc.actors.ccm.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The address annotations an agent puts on its own Node for the cloud-controller stub (K3s's {@code
 * configureNode}). Values are comma-joined lists; a null value in a returned map means "remove this
 * annotation".
 */
public final class NodeAnnotations {
  public static final String INTERNAL_IP = "k3s.io/internal-ip";
  public static final String EXTERNAL_IP = "k3s.io/external-ip";
  public static final String HOSTNAME = "k3s.io/hostname";
  public static final String INTERNAL_DNS = "k3s.io/internal-dns";
  public static final String EXTERNAL_DNS = "k3s.io/external-dns";

  /** All five keys, in the order {@link #desired} lists them. */
  public static final List<String> KEYS =
      List.of(INTERNAL_IP, EXTERNAL_IP, INTERNAL_DNS, EXTERNAL_DNS, HOSTNAME);

  private NodeAnnotations() {}

  /**
   * What the five annotations should be. With the CCM disabled all five are removed (K3s strips
   * them so a later re-enable starts clean); otherwise an unset or empty list removes its key and
   * the hostname is always set.
   *
   * @param hostname the OS hostname, may be null or empty
   * @param nodeName used when the hostname is unusable (see {@link #hostname})
   */
  public static Map<String, String> desired(
      boolean ccmEnabled,
      List<String> nodeIPs,
      List<String> externalIPs,
      List<String> internalDns,
      List<String> externalDns,
      String hostname,
      String nodeName) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!ccmEnabled) {
      KEYS.forEach(k -> out.put(k, null));
      return Collections.unmodifiableMap(out);
    }
    out.put(INTERNAL_IP, joined(nodeIPs));
    out.put(EXTERNAL_IP, joined(externalIPs));
    out.put(INTERNAL_DNS, joined(internalDns));
    out.put(EXTERNAL_DNS, joined(externalDns));
    out.put(HOSTNAME, hostname(hostname, nodeName));
    return Collections.unmodifiableMap(out);
  }

  /**
   * K3s's rule: the OS hostname, unless it is empty or contains "localhost" (a machine that was
   * never named would make every node resolve to itself), then the node name.
   */
  public static String hostname(String osHostname, String nodeName) {
    if (osHostname == null || osHostname.isEmpty() || osHostname.contains("localhost")) {
      return nodeName;
    }
    return osHostname;
  }

  /**
   * The merge-patch body for metadata.annotations: only keys whose value must change, a null value
   * for a key to remove. Keys absent from {@code desired} are left alone. Empty when in sync.
   */
  public static Map<String, String> changes(
      Map<String, String> current, Map<String, String> desired) {
    Map<String, String> have = current == null ? Map.of() : current;
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : desired.entrySet()) {
      String key = e.getKey();
      String want = e.getValue();
      if (want == null ? have.containsKey(key) : !want.equals(have.get(key))) out.put(key, want);
    }
    return Collections.unmodifiableMap(out);
  }

  private static String joined(List<String> values) {
    if (values == null) return null;
    List<String> items = values.stream().filter(v -> v != null && !v.isEmpty()).toList();
    return items.isEmpty() ? null : String.join(",", items);
  }
}
