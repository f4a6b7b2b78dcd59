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

  /** The sbin directories are searched too: a service's PATH often lacks them. */
  private static final List<String> EXTRA_DIRS =
      List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin");

  static Optional<Path> find(String name) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty()) {
          dirs.add(dir);
        }
      }
    }
    dirs.addAll(EXTRA_DIRS);
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
    throw new BackendException("netsvc: " + wanted + " not found; install " + packageName);
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
