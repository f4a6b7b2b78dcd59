package io.netsvc.nodeagent.netpol.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.config.ip.IpFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-memory backend accepts and rejects what the kernel does: each case runs against {@link
 * InMemoryBackend} and against a fresh network namespace through {@link NetnsBackend}. Needs root,
 * iptables and ipset (scripts/install-deps.sh); skipped otherwise.
 */
class BackendParityIT {
  private static final String NETNS = "nstparity";
  private static final String SETUP_SETS =
      "create A hash:ip timeout 0\nadd A 10.0.0.1 timeout 0\n"
          + "create inet6:B hash:ip timeout 0 family inet6\n";
  private static final String SETUP_RULES =
      "*filter\n:X - [0:0]\n-A X -m set --match-set A src -j ACCEPT\n:E - [0:0]\n"
          + "-A INPUT -j E\nCOMMIT\n";

  /** A script for one tool; {@code ipset} true for ipset, false for iptables-restore (IPv4). */
  record Case(String name, boolean ipset, String text) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("valid rules", false, "*filter\n:Y - [0:0]\n-A Y -j X\n-A Y -j RETURN\nCOMMIT\n"),
        new Case("jump to a missing chain", false, "*filter\n-A X -j MISSING\nCOMMIT\n"),
        new Case(
            "jump to a chain declared later",
            false,
            "*filter\n:F - [0:0]\n-A F -j G\n:G - [0:0]\nCOMMIT\n"),
        new Case("append to a missing chain", false, "*filter\n-A NOPE -j ACCEPT\nCOMMIT\n"),
        new Case(
            "missing set", false, "*filter\n-A X -m set --match-set NONE dst -j DROP\nCOMMIT\n"),
        new Case(
            "IPv6 set in an IPv4 rule",
            false,
            "*filter\n-A X -m set --match-set inet6:B src -j DROP\nCOMMIT\n"),
        new Case(
            "29-character chain",
            false,
            "*filter\n:KUBE-NWPLCY-ABCDEFGHIJKLMNOPQ - [0:0]\nCOMMIT\n"),
        new Case(
            "28-character chain",
            false,
            "*filter\n:KUBE-NWPLCY-ABCDEFGHIJKLMNOP - [0:0]\nCOMMIT\n"),
        new Case("delete a chain in use", false, "*filter\n-X E\nCOMMIT\n"),
        new Case("delete a missing rule", false, "*filter\n-D X -j DROP\nCOMMIT\n"),
        new Case("missing COMMIT", false, "*filter\n:Z - [0:0]\n"),
        new Case(
            "swap script",
            true,
            "create TMP-1 hash:ip timeout 0\nflush TMP-1\nadd TMP-1 10.0.0.2 timeout 0\n"
                + "create A hash:ip timeout 0\nswap TMP-1 A\nflush TMP-1\ndestroy TMP-1\n"),
        new Case("re-add a member", true, "add A 10.0.0.1 timeout 0\ncreate A hash:ip timeout 0\n"),
        new Case("add to a missing set", true, "add NOPE 10.0.0.1\n"),
        new Case("IPv6 member in an IPv4 set", true, "add A fd00::1\n"),
        new Case("same name, other type", true, "create A hash:net timeout 0\n"),
        new Case("same name, no timeout", true, "create A hash:ip\n"),
        new Case("destroy a set in use", true, "destroy A\n"),
        new Case("swap different kinds", true, "swap A inet6:B\n"),
        new Case("rename a set in use", true, "rename A Z\n"));
  }

  @BeforeAll
  static void requireRootAndTools() {
    assumeTrue(POSIXFactory.getPOSIX().geteuid() == 0, "kernel parity needs root (CI is root)");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/iptables-restore"))
            && Files.isExecutable(Path.of("/usr/sbin/ipset"))
            && Files.isExecutable(Path.of("/usr/sbin/ip")),
        "needs iptables, ipset and iproute2: run scripts/install-deps.sh");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inMemoryAgreesWithTheKernel(Case c) throws Exception {
    InMemoryBackend memory = new InMemoryBackend();
    memory.ipsetRestore(SETUP_SETS);
    memory.restore(IpFamily.IPV4, SETUP_RULES);
    boolean memoryAccepts = applies(memory, c);

    ip("netns", "add", NETNS);
    try {
      NetnsBackend kernel = new NetnsBackend(NETNS);
      kernel.ipsetRestore(SETUP_SETS);
      kernel.restore(IpFamily.IPV4, SETUP_RULES);
      boolean kernelAccepts = applies(kernel, c);

      assertThat(memoryAccepts).as("in-memory accepts as the kernel does").isEqualTo(kernelAccepts);
      assertThat(members(memory.saveSets())).isEqualTo(members(kernel.saveSets()));
      // the drift check's counts: from `ipset list -terse` here, the sets themselves in memory
      assertThat(kernel.setSizes())
          .isEqualTo(memory.setSizes())
          .isEqualTo(IpsetSizes.ofSave(kernel.saveSets()));
    } finally {
      ip("netns", "delete", NETNS);
    }
  }

  private static boolean applies(RulesBackend backend, Case c) {
    try {
      if (c.ipset()) {
        backend.ipsetRestore(c.text());
      } else {
        backend.restore(IpFamily.IPV4, c.text());
      }
      return true;
    } catch (BackendException e) {
      return false;
    }
  }

  /** The "add" lines of ipset save output, which both backends print alike. */
  private static Set<String> members(String save) {
    return save.lines().filter(l -> l.startsWith("add ")).collect(Collectors.toSet());
  }

  private static void ip(String... args) throws BackendException {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    CommandRunner.check(command, null, Duration.ofSeconds(10));
  }
}
