package io.netsvc.nodeagent.netpol.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.CommandRunner;
import io.netsvc.nodeagent.netpol.backend.NetnsBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real packets between network namespaces: two nodes, three pods (two on node n1). Traffic only
 * ever flows between namespaces this test created. Needs root and iproute2 (CI runs
 * scripts/install-deps.sh first); skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetnsLabIT {
  private static final String PREFIX = "nstlab";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final int TCP = 8080;
  private static final int UDP = 5353;
  private static final int UNSERVED = 9999;

  /** ns, pod, node, IPv4, IPv6. */
  private static final List<List<String>> PODS =
      List.of(
          List.of("a", "web-1", "n1", "10.213.1.10", "fd00:213:1::10"),
          List.of("a", "web-2", "n1", "10.213.1.11", "fd00:213:1::11"),
          List.of("b", "db-0", "n2", "10.213.2.10", "fd00:213:2::10"));

  private NetnsLab lab;
  private String hostForwarding;

  @BeforeAll
  void startLab() throws Exception {
    assumeTrue(
        POSIXFactory.getPOSIX().geteuid() == 0, "the netns lab needs root (CI runs it as root)");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
        "the netns lab needs iproute2: run scripts/install-deps.sh");
    hostForwarding = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
    NetnsLab.removeLeftovers(PREFIX);
    lab = new NetnsLab(PREFIX);
    lab.addNode("n1", "10.213.0.1", "10.213.1.0/24", "fd00:213::1", "fd00:213:1::/64");
    lab.addNode("n2", "10.213.0.2", "10.213.2.0/24", "fd00:213::2", "fd00:213:2::/64");
    for (List<String> pod : PODS) {
      lab.addPod(
          pod.get(0), pod.get(1), pod.get(2), pod.get(3), pod.get(4), List.of(TCP), List.of(UDP));
    }
  }

  @AfterAll
  void closeLab() throws Exception {
    if (lab != null) {
      lab.close();
      assertThat(netnsList()).noneMatch(name -> name.startsWith(PREFIX));
    }
  }

  @Test
  void everyPodReachesEveryOtherPodOnItsTcpAndUdpPorts() throws Exception {
    for (List<String> from : PODS) {
      for (List<String> to : PODS) {
        if (from != to) {
          assertThat(probe(from, to.get(3), TCP, "TCP")).as("%s -> %s tcp", from, to).isTrue();
          assertThat(probe(from, to.get(3), UDP, "UDP")).as("%s -> %s udp", from, to).isTrue();
        }
      }
    }
  }

  @Test
  void everyPodReachesEveryOtherPodOverIpv6() throws Exception {
    for (List<String> from : PODS) {
      for (List<String> to : PODS) {
        if (from != to) {
          assertThat(probe(from, to.get(4), TCP, "TCP")).as("%s -> %s tcp6", from, to).isTrue();
          assertThat(probe(from, to.get(4), UDP, "UDP")).as("%s -> %s udp6", from, to).isTrue();
        }
      }
    }
  }

  @Test
  void nodesForwardWhileTheHostsOwnSettingIsUntouched() throws Exception {
    String nodeForwarding =
        CommandRunner.check(
            List.of(
                "ip",
                "netns",
                "exec",
                lab.nodeNamespace("n1"),
                "cat",
                "/proc/sys/net/ipv4/ip_forward"),
            null,
            TIMEOUT);
    assertThat(nodeForwarding.strip()).isEqualTo("1");
    assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")))
        .isEqualTo(hostForwarding);
  }

  @Test
  void aPortNothingServesIsUnreachable() throws Exception {
    assertThat(probe(PODS.get(0), "10.213.2.10", UNSERVED, "TCP")).isFalse();
    assertThat(probe(PODS.get(0), "10.213.2.10", UNSERVED, "UDP")).isFalse();
    // while the served ports of the same pod answer
    assertThat(probe(PODS.get(0), "10.213.2.10", TCP, "TCP")).isTrue();
    assertThat(probe(PODS.get(0), "10.213.2.10", UDP, "UDP")).isTrue();
  }

  @Test
  void rejectRuleOnTheNodeBlocksOnlyThatPodAndFlushingRestoresIt() throws Exception {
    assumeIptables();
    NetnsBackend n2 = new NetnsBackend(lab.nodeNamespace("n2"));
    n2.restore(
        IpFamily.IPV4,
        "*filter\n:NSTLAB-REJECT - [0:0]\n-A FORWARD -j NSTLAB-REJECT\n"
            // --dport: db-0's own connections get their answers back (the rule is stateless)
            + "-A NSTLAB-REJECT -d 10.213.2.10/32 -p tcp --dport 8080 -j REJECT\nCOMMIT\n");
    try {
      assertThat(probe(PODS.get(0), "10.213.2.10", TCP, "TCP")).isFalse();
      assertThat(probe(PODS.get(0), "10.213.2.10", UDP, "UDP")).isTrue();
      assertThat(probe(PODS.get(2), "10.213.1.11", TCP, "TCP")).isTrue();
      assertThat(probe(PODS.get(0), "10.213.1.11", TCP, "TCP")).isTrue();
      assertThat(n2.saveFilterTable(IpFamily.IPV4))
          .contains("-A FORWARD -j NSTLAB-REJECT")
          .containsPattern("-A NSTLAB-REJECT -d 10.213.2.10/32 -p tcp .*--dport 8080 -j REJECT");
    } finally {
      n2.restore(IpFamily.IPV4, "*filter\n:NSTLAB-REJECT - [0:0]\nCOMMIT\n");
    }
    assertThat(n2.saveFilterTable(IpFamily.IPV4)).doesNotContain("REJECT --reject-with");
    assertThat(probe(PODS.get(0), "10.213.2.10", TCP, "TCP")).isTrue();
  }

  @Test
  void ip6tablesRulesApplyToIpv6Only() throws Exception {
    assumeIptables();
    NetnsBackend n2 = new NetnsBackend(lab.nodeNamespace("n2"));
    n2.restore(
        IpFamily.IPV6,
        "*filter\n:NSTLAB-REJECT6 - [0:0]\n-A FORWARD -j NSTLAB-REJECT6\n"
            + "-A NSTLAB-REJECT6 -d fd00:213:2::10/128 -p tcp --dport 8080 -j REJECT\nCOMMIT\n");
    try {
      assertThat(probe(PODS.get(0), "fd00:213:2::10", TCP, "TCP")).isFalse();
      assertThat(probe(PODS.get(0), "10.213.2.10", TCP, "TCP")).isTrue();
      assertThat(n2.saveFilterTable(IpFamily.IPV6)).contains("-A FORWARD -j NSTLAB-REJECT6");
      assertThat(n2.saveFilterTable(IpFamily.IPV4)).doesNotContain("NSTLAB-REJECT6");
    } finally {
      n2.restore(IpFamily.IPV6, "*filter\n:NSTLAB-REJECT6 - [0:0]\nCOMMIT\n");
    }
    assertThat(probe(PODS.get(0), "fd00:213:2::10", TCP, "TCP")).isTrue();
  }

  @Test
  void ipsetRestoreCreatesASetThatRulesMatchOn() throws Exception {
    assumeIptables();
    NetnsBackend n2 = new NetnsBackend(lab.nodeNamespace("n2"));
    n2.ipsetRestore("create NSTLAB-SRC hash:ip timeout 0\nadd NSTLAB-SRC 10.213.1.10 timeout 0\n");
    assertThat(n2.saveSets())
        .contains("create NSTLAB-SRC hash:ip")
        .contains("add NSTLAB-SRC 10.213.1.10");
    n2.restore(
        IpFamily.IPV4,
        "*filter\n:NSTLAB-SET - [0:0]\n-A FORWARD -j NSTLAB-SET\n"
            + "-A NSTLAB-SET -m set --match-set NSTLAB-SRC src -p tcp -j REJECT\nCOMMIT\n");
    try {
      assertThat(probe(PODS.get(0), "10.213.2.10", TCP, "TCP")).as("web-1 is in the set").isFalse();
      assertThat(probe(PODS.get(1), "10.213.2.10", TCP, "TCP")).as("web-2 is not").isTrue();
    } finally {
      n2.restore(IpFamily.IPV4, "*filter\n:NSTLAB-SET - [0:0]\nCOMMIT\n");
    }
    assertThat(probe(PODS.get(0), "10.213.2.10", TCP, "TCP")).isTrue();
  }

  @Test
  void aRejectedRestoreReportsTheToolsError() throws Exception {
    assumeIptables();
    NetnsBackend n1 = new NetnsBackend(lab.nodeNamespace("n1"));
    assertThatThrownBy(
            () ->
                n1.restore(
                    IpFamily.IPV4,
                    "*filter\n:NSTLAB-BAD - [0:0]\n-A NSTLAB-BAD -j NSTLAB-MISSING\nCOMMIT\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("NSTLAB-MISSING")
        .satisfies(e -> assertThat(((BackendException) e).toolOutput()).contains("line"));
    assertThat(n1.saveFilterTable(IpFamily.IPV4)).doesNotContain("NSTLAB-BAD");
    assertThat(n1.describe()).contains("in netns " + lab.nodeNamespace("n1"));
  }

  @Test
  void probesOnlyGoToAddressesOfTheLab() {
    assertThatThrownBy(() -> probe(PODS.get(0), "10.213.9.9", TCP, "TCP"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> probe(PODS.get(0), "example.org", TCP, "TCP"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removePodStopsItsAnswersAndDeletesItsNamespace() throws Exception {
    lab.addPod("c", "tmp", "n2", "10.213.2.99", List.of(TCP), List.of());
    assertThat(probe(PODS.get(0), "10.213.2.99", TCP, "TCP")).isTrue();
    lab.removePod("c", "tmp");
    assertThat(netnsList()).doesNotContain(lab.podNamespace("c", "tmp"));
    assertThat(probe(PODS.get(0), "10.213.2.99", TCP, "TCP")).isFalse();
  }

  @Test
  void removeLeftoversDeletesTheNamespacesOfACrashedLab() throws Exception {
    NetnsLab.removeLeftovers("nstcrash");
    NetnsLab crashed = new NetnsLab("nstcrash");
    CommandRunner.check(List.of("ip", "netns", "add", "nstcrashx"), null, TIMEOUT);
    try {
      crashed.addNode("n1", "10.214.0.1", "10.214.1.0/24");
      crashed.addPod("a", "p", "n1", "10.214.1.10", List.of(TCP), List.of(UDP));
      // never closed, as after a crash: only the prefix is known
      assertThat(NetnsLab.removeLeftovers("nstcrash"))
          .containsExactlyInAnyOrder(
              "nstcrash_fabric", "nstcrash_node_n1", crashed.podNamespace("a", "p"));
      assertThat(netnsList())
          .noneMatch(n -> LabNames.belongsTo("nstcrash", n))
          .contains("nstcrashx");
    } finally {
      crashed.close();
      CommandRunner.check(List.of("ip", "netns", "delete", "nstcrashx"), null, TIMEOUT);
    }
  }

  @Test
  void closeDeletesEveryNamespaceTheLabMade() throws Exception {
    NetnsLab.removeLeftovers("nstclose");
    NetnsLab small = new NetnsLab("nstclose");
    small.addNode("n1", "10.215.0.1", "10.215.1.0/24");
    small.addPod("a", "p", "n1", "10.215.1.10", List.of(TCP), List.of(UDP));
    assertThat(netnsList()).contains("nstclose_fabric", "nstclose_node_n1", "nstclose-a-p");
    small.close();
    assertThat(netnsList()).noneMatch(n -> n.startsWith("nstclose"));
  }

  private boolean probe(List<String> from, String toIp, int port, String protocol)
      throws BackendException {
    return lab.probe(from.get(0), from.get(1), toIp, port, protocol, TIMEOUT);
  }

  private static void assumeIptables() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/iptables-restore"))
            || Files.isExecutable(Path.of("/sbin/iptables-restore")),
        "needs iptables and ipset: run scripts/install-deps.sh");
  }

  private static List<String> netnsList() throws BackendException {
    String out = CommandRunner.check(List.of("ip", "netns", "list"), null, TIMEOUT);
    return out.lines().map(line -> line.split(" ")[0]).filter(s -> !s.isBlank()).toList();
  }
}
