package io.netsvc.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The facts about this process that defaults depend on; tests pass their own. */
record Host(Path cwd, Path home, boolean root, String hostname) {

  static Host current(Map<String, String> env) {
    return new Host(
        Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("user.home")),
        "root".equals(System.getProperty("user.name")),
        hostname(env));
  }

  /** A path as the user wrote it, made absolute against the working directory. */
  Path resolve(String path) {
    return cwd.resolve(path).normalize();
  }

  // Read from the kernel rather than InetAddress.getLocalHost(), which may do a DNS lookup.
  private static String hostname(Map<String, String> env) {
    for (String file : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
      try {
        String name = Files.readString(Path.of(file)).trim();
        if (!name.isEmpty()) {
          return name.toLowerCase(Locale.ROOT);
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or not readable: try the next source
      }
    }
    for (String var : List.of("HOSTNAME", "COMPUTERNAME")) {
      String name = env.get(var);
      if (name != null && !name.isBlank()) {
        return name.trim().toLowerCase(Locale.ROOT);
      }
    }
    return "localhost";
  }
}
