package io.netsvc.sim.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code --tls-dir} made with {@code scripts/tls-certs} (the openssl CLI), as docs/tls.md. */
final class TlsCerts {
  private TlsCerts() {}

  /** A new CA in {@code dir/ca} and a member's tls.crt, tls.key, ca.crt in the returned dir. */
  static Path memberDir(Path dir) throws IOException, InterruptedException {
    run(dir, "ca", "ca");
    run(dir, "member", "ca", "member");
    return dir.resolve("member");
  }

  private static void run(Path dir, String command, String... dirs)
      throws IOException, InterruptedException {
    Path script = DeployManifests.dir().getParent().resolve("scripts").resolve("tls-certs");
    List<String> cmd = new ArrayList<>(List.of(script.toString(), command));
    for (String d : dirs) cmd.add(dir.resolve(d).toString());
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + script + " (it needs bash and openssl)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    }
  }
}
