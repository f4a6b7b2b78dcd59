package io.netsvc.nodeagent.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.config.ip.IpFamily;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kube-router's name derivation against kube-router v2.6.3 vectors (docs/k3s-and-kube-router.md,
 * "Names").
 */
class KubeRouterNamesTest {

  @Test
  void ipsetFixtureVectors() {
    assertThat(KubeRouterNames.targetSet("default", "whoami", Direction.INGRESS, IpFamily.IPV4))
        .isEqualTo("KUBE-DST-IZ5JGF4W6BKI7CEV");
    assertThat(KubeRouterNames.targetSet("default", "whoami", Direction.INGRESS, IpFamily.IPV6))
        .isEqualTo("inet6:KUBE-DST-GZIEGRFLGG6BN3N7")
        .hasSize(31);
    assertThat(KubeRouterNames.ipBlockSet("default", "whoami", Direction.INGRESS, 0, IpFamily.IPV4))
        .isEqualTo("KUBE-SRC-KLLOHJLFVAV654Z2");
    assertThat(KubeRouterNames.podPeerSet("default", "debug", Direction.EGRESS, 0, IpFamily.IPV4))
        .isEqualTo("KUBE-DST-P226T6HGLTLDGDLC");
    assertThat(KubeRouterNames.podPeerSet("default", "debug", Direction.EGRESS, 0, IpFamily.IPV6))
        .isEqualTo("inet6:KUBE-DST-KSECZGZUJPU4SKA3");
    assertThat(KubeRouterNames.targetSet("default", "debug", Direction.EGRESS, IpFamily.IPV4))
        .isEqualTo("KUBE-SRC-C2EUPKL23CCP4COF");
    assertThat(KubeRouterNames.targetSet("default", "debug", Direction.EGRESS, IpFamily.IPV6))
        .isEqualTo("inet6:KUBE-SRC-VY6KNKQ4BF6Y4J2K");
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "INPUT, kube-router netpol - 4IA2OSFRMVNDXBVV",
    "FORWARD, kube-router netpol - TEMCG2JMHZYE7H7T",
    "OUTPUT, kube-router netpol - VEAAIY32XVBHCSCY",
  })
  void entryJumpUuidsAsSeenInK3sIssues(String builtin, String comment) {
    assertThat(KubeRouterNames.entryJumpComment(builtin)).isEqualTo(comment);
    assertThat(StaticChains.entryJump(builtin))
        .isEqualTo(
            "-m comment --comment \"" + comment + "\" -j " + KubeRouterNames.entryChain(builtin));
  }

  @ParameterizedTest(name = "{0} node ports → {1}")
  @CsvSource({"tcp, TCP, LR7XO7NXDBGQJD2M", "udp, UDP, 76UCBPIZNGJNWNUZ"})
  void nodePortExemptionUuids(String proto, String upper, String uuid) {
    List<String> spec =
        List.of(
            "-p",
            proto,
            "-m",
            "comment",
            "--comment",
            "allow LOCAL " + upper + " traffic to node ports",
            "-m",
            "addrtype",
            "--dst-type",
            "LOCAL",
            "-m",
            "multiport",
            "--dports",
            "30000:32767",
            "-j",
            "RETURN");
    assertThat(KubeRouterNames.ruleUuid("KUBE-ROUTER-INPUT", spec)).isEqualTo(uuid);
    // and the renderer writes exactly that comment
    Ruleset r = new ModelCluster().render(ModelCluster.N1);
    assertThat(r.table(IpFamily.IPV4).chain("KUBE-ROUTER-INPUT"))
        .anyMatch(rule -> rule.contains(" - " + uuid + "\""));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "hash:ip timeout 0 family inet6, TMP-3TF2IQ5MKRP6NAJL",
    "hash:ip timeout 0, TMP-PRBJ7ASFQM5DJR3Q",
  })
  void tempSetVectors(String options, String expected) {
    assertThat(KubeRouterNames.tmpSet(options)).isEqualTo(expected);
  }

  @Test
  void netsvcNamesAreStableDistinctAndWithinLimits() {
    String in = Names.policyChain("nsA", "simple-egress", Direction.INGRESS, IpFamily.IPV4);
    assertThat(in)
        .isEqualTo(Names.policyChain("nsA", "simple-egress", Direction.INGRESS, IpFamily.IPV4))
        .hasSize(28)
        .startsWith("KUBE-NWPLCY-")
        .isNotEqualTo(Names.policyChain("nsA", "simple-egress", Direction.EGRESS, IpFamily.IPV4))
        .isNotEqualTo(Names.policyChain("nsA", "simple-egress", Direction.INGRESS, IpFamily.IPV6));
    // kube-router's unseparated concatenation collides on these (KubeRouterLayoutTest); netsvc's
    // names do not
    assertThat(Names.podChain("a", "bc")).isNotEqualTo(Names.podChain("ab", "c")).hasSize(28);
    Set<String> sets = new HashSet<>();
    for (Direction d : Direction.values()) {
      for (IpFamily f : IpFamily.values()) {
        sets.add(Names.podPeerSet("ns", "p", d, 0, f));
        sets.add(Names.ipBlockSet("ns", "p", d, 0, 0, f));
        sets.add(Names.ipBlockSet("ns", "p", d, 0, 1, f));
        sets.add(Names.namedPortSet("ns", "p", d, 0, "tcp", 80, f));
        sets.add(Names.namedPortSet("ns", "p", d, 0, "udp", 80, f));
      }
    }
    assertThat(sets).hasSize(20).allMatch(s -> s.length() <= 31);
    assertThat(Names.localPodsSet(IpFamily.IPV6)).isEqualTo("inet6:kube-router-local-pods");
  }
}
