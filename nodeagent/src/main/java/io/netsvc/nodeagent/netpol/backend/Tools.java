package io.netsvc.nodeagent.netpol.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds the kernel tools on this host and tells which iptables variant is the default. */
final class Tools {
  private Tools() {}

  /** Where tools are looked for when the process has no PATH at all. */
  private static final List<String> DEFAULT_DIRS =
      List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin");

  /**
   * The first executable {@code name} on PATH, as kube-router and K3s look tools up: the binary
   * that runs is the one the user's PATH (or the container image's) names, and a PATH without it is
   * reported, not silently bypassed. Without a PATH, the usual system directories.
   */
  static Optional<Path> find(String name) {
    return find(name, System.getenv("PATH"));
  }

  static Optional<Path> find(String name, String path) {
    Set<String> dirs = new LinkedHashSet<>();
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty()) {
          dirs.add(dir);
        }
      }
    }
    if (dirs.isEmpty()) dirs.addAll(DEFAULT_DIRS);
    for (String dir : dirs) {
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The first of {@code names} that exists, or a one-line "install …" error. */
  static String require(List<String> names, String packageName) throws BackendException {
    for (String name : names) {
      Optional<Path> found = find(name);
      if (found.isPresent()) {
        return found.get().toString();
      }
    }
    String wanted = names.get(names.size() - 1);
    throw new BackendException("netsvc: " + wanted + " not found in PATH; install " + packageName);
  }

  /**
   * The variant named in {@code iptables --version} output ({@code "nf_tables"} or {@code
   * "legacy"}); output without a tag is treated as legacy, as older releases printed none.
   */
  static String variantOf(String versionOutput) {
    return versionOutput.contains("nf_tables") ? "nf_tables" : "legacy";
  }

  /** Restore/save binaries of one variant, the variant-specific name first. */
  static List<String> candidates(String tool, String variant) {
    String infix = variant.equals("nf_tables") ? "nft" : "legacy";
    int dash = tool.indexOf('-');
    List<String> names = new ArrayList<>();
    names.add(tool.substring(0, dash) + "-" + infix + tool.substring(dash));
    names.add(tool);
    return names;
  }
}
