package io.netsvc.nodeagent.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import org.junit.jupiter.api.Test;

/** The node clean-up after {@code --disable-network-policy}: ours goes, everybody else's stays. */
class CleanupTest {
  static final String SAVE =
      String.join(
          "\n",
          "*filter",
          ":INPUT ACCEPT [0:0]",
          ":FORWARD DROP [0:0]",
          ":OUTPUT ACCEPT [0:0]",
          ":KUBE-FIREWALL - [0:0]",
          ":KUBE-ROUTER-INPUT - [0:0]",
          ":KUBE-ROUTER-FORWARD - [0:0]",
          ":KUBE-POD-FW-ABCDEFGHIJKLMNOP - [0:0]",
          ":KUBE-NWPLCY-DEFAULT - [0:0]",
          "-A INPUT -m comment --comment \"kube-router netpol - 4IA2OSFRMVNDXBVV\" -j KUBE-ROUTER-INPUT",
          "-A INPUT -j KUBE-FIREWALL",
          "-A FORWARD -m comment --comment \"kube-router netpol - TEMCG2JMHZYE7H7T\" -j KUBE-ROUTER-FORWARD",
          "-A FORWARD -m comment --comment \"KUBE-ROUTER rule to explicitly ACCEPT traffic that comply to network policies\" -m mark --mark 0x20000/0x20000 -j ACCEPT",
          "-A FORWARD -s 10.0.0.0/8 -j ACCEPT",
          "-A KUBE-FIREWALL -m mark --mark 0x8000/0x8000 -j DROP",
          "-A KUBE-ROUTER-FORWARD -d 10.42.0.5/32 -j KUBE-POD-FW-ABCDEFGHIJKLMNOP",
          "-A KUBE-POD-FW-ABCDEFGHIJKLMNOP -j KUBE-NWPLCY-DEFAULT",
          "-A KUBE-NWPLCY-DEFAULT -j MARK --set-xmark 0x10000/0x10000",
          "COMMIT",
          "");

  static final String SETS =
      String.join(
          "\n",
          "create KUBE-DST-IZ5JGF4W6BKI7CEV hash:ip family inet hashsize 1024 maxelem 65536",
          "add KUBE-DST-IZ5JGF4W6BKI7CEV 10.42.0.5",
          "create inet6:KUBE-SRC-VY6KNKQ4BF6Y4J2K hash:ip family inet6 hashsize 1024 maxelem 65536",
          "create cilium-foo hash:ip family inet hashsize 1024 maxelem 65536",
          "");

  @Test
  void removesOurChainsJumpsAndSetsAndNothingElse() throws Exception {
    Cleanup.Plan plan = Cleanup.plan(SAVE, SETS);
    assertThat(plan.chains()).isEqualTo(4);
    assertThat(plan.rules()).isEqualTo(3);
    assertThat(plan.sets()).isEqualTo(2);
    assertThat(plan.iptables()).doesNotContain("KUBE-FIREWALL", "10.0.0.0/8");
    assertThat(plan.ipset()).doesNotContain("cilium-foo");

    // applied to a kernel holding that table, exactly the others' rules remain
    InMemoryBackend kernel = new InMemoryBackend();
    kernel.restore(IpFamily.IPV4, SAVE);
    kernel.restore(IpFamily.IPV4, plan.iptables());
    String after = kernel.saveFilterTable(IpFamily.IPV4);
    assertThat(after).doesNotContain("KUBE-ROUTER", "KUBE-POD-FW", "KUBE-NWPLCY");
    assertThat(after).contains("-A INPUT -j KUBE-FIREWALL", "-A FORWARD -s 10.0.0.0/8 -j ACCEPT");
  }

  @Test
  void aCleanNodeNeedsNoCall() {
    Cleanup.Plan plan =
        Cleanup.plan("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n", "");
    assertThat(plan.iptables()).isEmpty();
    assertThat(plan.ipset()).isEmpty();
  }
}
