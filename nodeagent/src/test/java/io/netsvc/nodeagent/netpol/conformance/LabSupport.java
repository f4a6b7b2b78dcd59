package io.netsvc.nodeagent.netpol.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this machine can run the network-namespace lab (root, ip, iptables, ipset). */
final class LabSupport {
  private LabSupport() {}

  static boolean usable() {
    return reason() == null;
  }

  static String reason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the network-namespace lab needs root (run scripts/test as root, as CI does)";
    }
    for (String tool : new String[] {"ip", "iptables-restore", "ipset"}) {
      if (!onPath(tool)) return tool + " is missing; run scripts/install-deps.sh";
    }
    return null;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }
}
