package io.netsvc.config;

import static io.netsvc.config.CliTesting.run;
import static io.netsvc.config.CliTesting.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls-dir is checked at parse time: what Pekko could not use is one line and exit 2. */
class TlsDirTest {

  @TempDir Path dir;

  @BeforeEach
  void certificates() throws Exception {
    tlsCerts("ca", "ca1");
    tlsCerts("ca", "ca2");
    tlsCerts("member", "ca1", "good");
    tlsCerts("member", "ca2", "other");
  }

  @Test
  void aGoodDirectoryTurnsTlsOn() {
    for (String mode : new String[] {"server", "agent", "sim"}) {
      assertEquals(
          Optional.of(dir.resolve("good")), run(dir, mode, "--tls-dir", "good").cluster().tlsDir());
    }
    assertEquals(Optional.empty(), run(dir, "server").cluster().tlsDir());
  }

  @Test
  void theConfigFileMayNameIt() throws Exception {
    Files.writeString(dir.resolve("c.yaml"), "tls-dir: good\n");

    assertEquals(
        Optional.of(dir.resolve("good")),
        run(dir, "agent", "--config", "c.yaml").cluster().tlsDir());
  }

  @Test
  void aPkcs1KeyAsCertManagerWritesItIsAccepted() throws Exception {
    openssl("rsa", "-in", "good/tls.key", "-traditional", "-out", "good/tls.key");
    assertTrue(Files.readString(dir.resolve("good/tls.key")).contains("BEGIN RSA PRIVATE KEY"));

    assertEquals(
        Optional.of(dir.resolve("good")),
        run(dir, "server", "--tls-dir", "good").cluster().tlsDir());
  }

  @Test
  void missingDirectoryOrFiles() throws Exception {
    assertEquals(
        "netsvc: invalid --tls-dir 'nowhere': no such directory",
        usageError(dir, "server", "--tls-dir", "nowhere"));
    Files.delete(dir.resolve("good/tls.key"));
    assertEquals(
        "netsvc: invalid --tls-dir 'good': no tls.key in it",
        usageError(dir, "agent", "--tls-dir", "good"));
  }

  @Test
  void unparseableFiles() throws Exception {
    Files.writeString(dir.resolve("other/tls.crt"), "not a certificate\n");
    assertEquals(
        "netsvc: invalid --tls-dir 'other': tls.crt is not a PEM certificate",
        usageError(dir, "server", "--tls-dir", "other"));
    Files.writeString(dir.resolve("good/tls.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
    assertTrue(
        usageError(dir, "sim", "--tls-dir", "good").endsWith("tls.key is not a PEM private key"));
  }

  @Test
  void anEcKeyIsRefusedBecauseOnlyRsaIsSupported() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "good/tls.key",
        "-out",
        "good/tls.crt",
        "-days",
        "1",
        "-subj",
        "/CN=netsvc");

    assertTrue(usageError(dir, "server", "--tls-dir", "good").contains("only RSA is supported"));
  }

  @Test
  void aCertificateOfAnotherCaOrAnotherKeyIsRefused() throws Exception {
    Files.copy(
        dir.resolve("ca2/ca.crt"),
        dir.resolve("good/ca.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(
        "netsvc: invalid --tls-dir 'good': tls.crt is not signed by the first certificate in"
            + " ca.crt (the only one read; no intermediate CA)",
        usageError(dir, "server", "--tls-dir", "good"));
    Files.copy(
        dir.resolve("ca1/ca.crt"),
        dir.resolve("good/ca.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        dir.resolve("other/tls.key"),
        dir.resolve("good/tls.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(
        "netsvc: invalid --tls-dir 'good': tls.key is not the private key of tls.crt",
        usageError(dir, "server", "--tls-dir", "good"));
  }

  @Test
  void agentCheckValues() {
    assertEquals(AgentCheck.NODE_ADDRESS, run(dir, "server").cluster().agentCheck());
    assertEquals(AgentCheck.OFF, run(dir, "sim").cluster().agentCheck());
    assertEquals(AgentCheck.OFF, run(dir, "server", "--agent-check", "off").cluster().agentCheck());
    assertEquals(
        "netsvc: invalid --agent-check 'none': valid values are node-address, off",
        usageError(dir, "server", "--agent-check", "none"));
  }

  private void tlsCerts(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = Path.of("..", "scripts", "tls-certs").toAbsolutePath().normalize().toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    for (int i = 2; i < cmd.length && i < 4; i++) cmd[i] = dir.resolve(cmd[i]).toString();
    exec(cmd);
  }

  private void openssl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    exec(cmd);
  }

  private void exec(String... cmd) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot run " + cmd[0] + " (is openssl installed?): " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
  }
}
