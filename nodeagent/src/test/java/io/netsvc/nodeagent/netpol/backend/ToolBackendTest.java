package io.netsvc.nodeagent.netpol.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tool discovery, the process runner, and the one-line errors of the kernel backends. */
class ToolBackendTest {

  @Test
  void theVariantInTheVersionLinePicksTheMatchingRestoreTool() {
    assertThat(Tools.variantOf("iptables v1.8.9 (nf_tables)")).isEqualTo("nf_tables");
    assertThat(Tools.variantOf("iptables v1.8.9 (legacy)")).isEqualTo("legacy");
    assertThat(Tools.variantOf("iptables v1.6.1")).isEqualTo("legacy");
    assertThat(Tools.candidates("ip6tables-restore", "nf_tables"))
        .containsExactly("ip6tables-nft-restore", "ip6tables-restore");
    assertThat(Tools.candidates("iptables-save", "legacy"))
        .containsExactly("iptables-legacy-save", "iptables-save");
  }

  @Test
  void aMissingToolIsOneLineNamingThePackage() {
    assertThatThrownBy(() -> Tools.require(List.of("netsvc-no-such-restore"), "iptables"))
        .isInstanceOf(BackendException.class)
        .hasMessage("netsvc: netsvc-no-such-restore not found in PATH; install iptables");
  }

  @Test
  void toolsAreLookedUpOnPathAloneWhenThereIsOne(@TempDir Path dir) throws Exception {
    Path tool = Files.createFile(dir.resolve("iptables"));
    assertThat(tool.toFile().setExecutable(true)).isTrue();
    assertThat(Tools.find("iptables", "/netsvc/no/such/dir:" + dir)).contains(tool);
    // a PATH without the tool is reported, even where /usr/sbin has it
    assertThat(Tools.find("iptables", "/netsvc/no/such/dir")).isEmpty();
  }

  @Test
  void commandsGetTheirStdinAndAFailureCarriesStderr() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/cat")), "needs /bin/cat");
    assertThat(CommandRunner.check(List.of("/bin/cat"), "*filter\nCOMMIT\n", Duration.ofSeconds(5)))
        .isEqualTo("*filter\nCOMMIT\n");
    assertThatThrownBy(
            () ->
                CommandRunner.check(
                    List.of("/bin/cat", "/netsvc/no/such/file"), null, Duration.ofSeconds(5)))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("No such file")
        .satisfies(e -> assertThat(((BackendException) e).toolOutput()).contains("No such file"));
  }

  @Test
  void aHungCommandIsKilledAtItsTimeout() {
    assumeTrue(Files.isExecutable(Path.of("/bin/sleep")), "needs /bin/sleep");
    assertThatThrownBy(
            () -> CommandRunner.check(List.of("/bin/sleep", "30"), null, Duration.ofMillis(200)))
        .isInstanceOf(BackendException.class)
        .hasMessage("netsvc: /bin/sleep 30 did not finish within PT0.2S");
    // killed, not left running behind the error
    await().atMost(Duration.ofSeconds(10)).until(() -> sleepers().isEmpty());
  }

  /** This JVM's child processes that run {@code sleep 30}. */
  private static List<ProcessHandle> sleepers() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").endsWith("sleep"))
        .filter(p -> List.of("30").equals(List.of(p.info().arguments().orElse(new String[0]))))
        .toList();
  }

  @Test
  void aMissingNetworkNamespaceIsReportedBeforeAnyToolRuns() {
    assumeTrue(POSIXFactory.getPOSIX().geteuid() == 0, "the kernel backends need root");
    NetnsBackend backend = new NetnsBackend("netsvc-test-no-such-netns");
    assertThatThrownBy(backend::ensureUsable)
        .isInstanceOf(BackendException.class)
        .hasMessage("netsvc: network namespace netsvc-test-no-such-netns does not exist");
  }

  @Test
  void theSystemBackendNamesTheDetectedVariant() throws Exception {
    assumeTrue(POSIXFactory.getPOSIX().geteuid() == 0, "the kernel backends need root");
    assumeTrue(Tools.find("iptables").isPresent(), "needs iptables: scripts/install-deps.sh");
    SystemBackend backend = new SystemBackend();
    // read-only: only `iptables --version` runs; the host's rules are never touched here
    backend.ensureUsable();
    assertThat(backend.describe()).containsPattern("iptables v[0-9.]+ \\((nf_tables|legacy)\\)");
  }

  @Test
  void withoutRootTheErrorSaysSo() {
    int euid = POSIXFactory.getPOSIX().geteuid();
    assumeTrue(euid != 0, "only meaningful when not root");
    assertThatThrownBy(() -> new SystemBackend().ensureUsable())
        .hasMessage("netsvc: network policy needs root (running as uid " + euid + ")");
  }
}
