package io.netsvc.k8s.deploy.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one pass over the manifests directory does with each file it found: deploy it, remove what
 * it (or a disabled component) deployed, or leave it alone. Paths are relative to the directory and
 * use {@code /}.
 */
public final class ManifestScan {
  static final String SKIP_SUFFIX = ".skip";

  private ManifestScan() {}

  /** One decision of a pass. */
  public sealed interface Decision permits Deploy, Remove, Ignore {}

  /** Apply this manifest (the deployer still skips it when its modTime/checksum is unchanged). */
  public record Deploy(String path) implements Decision {}

  /**
   * Delete what Addon {@code addonName} applied, the Addon, and the file if {@code path} is given.
   */
  public record Remove(String addonName, Optional<String> path) implements Decision {}

  /** Leave this file alone, for the given reason. */
  public record Ignore(String path, String reason) implements Decision {}

  /**
   * The decisions for one pass, in path order, followed by removals of disabled Addons whose file
   * is gone (sorted by name).
   *
   * @param files every regular file found (relative paths; order does not matter)
   * @param disabled {@code --disable} names: file names without extension, or directory paths
   * @param existingAddons names of the Addons in kube-system
   */
  public static List<Decision> scan(
      Collection<String> files, Set<String> disabled, Set<String> existingAddons) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(files));
    Set<String> skipMarkers = new HashSet<>();
    for (String path : sorted) {
      String base = baseName(path);
      if (base.endsWith(SKIP_SUFFIX)) {
        skipMarkers.add(base.substring(0, base.length() - SKIP_SUFFIX.length()));
      }
    }
    List<Decision> out = new ArrayList<>();
    Set<String> handled = new HashSet<>();
    for (String path : sorted) {
      Decision d = decide(path, disabled, skipMarkers);
      out.add(d);
      if (!(d instanceof Ignore)) handled.add(AddonNames.of(path));
    }
    // netsvc also cleans up when the old file is gone (K3s needs it on disk); an Addon that a file
    // still deploys is left alone, or a pass would remove what it had just applied.
    new TreeSet<>(disabled)
        .stream()
            .filter(existingAddons::contains)
            .filter(name -> !handled.contains(name))
            .forEach(name -> out.add(new Remove(name, Optional.empty())));
    return out;
  }

  private static Decision decide(String path, Set<String> disabled, Set<String> skipMarkers) {
    String base = baseName(path);
    boolean manifest = isManifest(base);
    if (isHidden(path)) return new Ignore(path, "hidden file");
    if (manifest && isDisabled(path, base, disabled)) {
      return new Remove(AddonNames.of(base), Optional.of(path));
    }
    if (manifest && (skipMarkers.contains(base) || skipMarkers.contains(stem(base)))) {
      String marker = skipMarkers.contains(base) ? base : stem(base);
      return new Ignore(path, "frozen by " + marker + SKIP_SUFFIX);
    }
    if (!manifest) return new Ignore(path, "not a .yaml, .yml or .json file");
    return new Deploy(path);
  }

  /** True for {@code .yaml}, {@code .yml} and {@code .json}, in any case. */
  public static boolean isManifest(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
  }

  // As K3s: any parent directory path, or the file name without its last extension.
  private static boolean isDisabled(String path, String base, Set<String> disabled) {
    String[] segments = path.split("/");
    StringBuilder parent = new StringBuilder();
    for (int i = 0; i < segments.length - 1; i++) {
      if (i > 0) parent.append('/');
      parent.append(segments[i]);
      if (disabled.contains(parent.toString())) return true;
    }
    return disabled.contains(stem(base));
  }

  // K3s looks only at the file name; netsvc also leaves files in hidden directories alone (editor
  // and VCS droppings), even when their name is disabled.
  private static boolean isHidden(String path) {
    for (String segment : path.split("/")) {
      if (segment.startsWith(".")) return true;
    }
    return false;
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String stem(String base) {
    int dot = base.lastIndexOf('.');
    return dot <= 0 ? base : base.substring(0, dot);
  }
}
