package io.netsvc.k8s.deploy.model;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A group/version/kind, written as Go's {@code schema.GroupVersionKind.String()} does: {@code
 * apps/v1, Kind=Deployment}, core group as {@code /v1, Kind=ConfigMap}.
 */
public record Gvk(String group, String version, String kind) implements Comparable<Gvk> {
  /** Annotation on an Addon listing the kinds it has applied, so pruning can find them again. */
  public static final String ANNOTATION = "addon.k3s.cattle.io/gvks";

  public Gvk {
    group = group == null ? "" : group;
  }

  /** From an object's {@code apiVersion} ({@code v1}, {@code apps/v1}) and {@code kind}. */
  public static Gvk of(String apiVersion, String kind) {
    int slash = apiVersion.lastIndexOf('/');
    return slash < 0
        ? new Gvk("", apiVersion, kind)
        : new Gvk(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  @Override
  public String toString() {
    return group + "/" + version + ", Kind=" + kind;
  }

  /** Parses {@link #toString()}'s form; null for anything else. */
  public static Gvk parse(String text) {
    String s = text.trim();
    int comma = s.indexOf(", Kind=");
    if (comma < 0) return null;
    String gv = s.substring(0, comma);
    String kind = s.substring(comma + ", Kind=".length());
    int slash = gv.lastIndexOf('/');
    if (slash < 0 || kind.isEmpty() || slash == gv.length() - 1) return null;
    return new Gvk(gv.substring(0, slash), gv.substring(slash + 1), kind);
  }

  /** The kinds in an {@link #ANNOTATION} value ({@code ;}-separated); unreadable parts dropped. */
  public static Set<Gvk> parseAnnotation(String value) {
    Set<Gvk> out = new LinkedHashSet<>();
    if (value == null) return out;
    for (String part : value.split(";")) {
      Gvk g = parse(part);
      if (g != null) out.add(g);
    }
    return out;
  }

  /** The {@link #ANNOTATION} value for these kinds, sorted so it only changes when they do. */
  public static String annotation(Collection<Gvk> gvks) {
    return new TreeSet<>(gvks).stream().map(Gvk::toString).collect(Collectors.joining(";"));
  }

  /** Group and kind without the version: objects that prune must treat as the same type. */
  public String groupKind() {
    return kind + "." + group;
  }

  @Override
  public int compareTo(Gvk o) {
    return toString().compareTo(o.toString());
  }
}
