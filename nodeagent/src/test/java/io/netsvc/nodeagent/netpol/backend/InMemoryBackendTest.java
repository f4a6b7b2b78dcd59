package io.netsvc.nodeagent.netpol.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsvc.config.ip.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InMemoryBackendTest {
  private static final String SETS =
      "create KUBE-SRC-A hash:ip timeout 0\n"
          + "add KUBE-SRC-A 10.42.0.11 timeout 0\n"
          + "create inet6:KUBE-SRC-B hash:ip timeout 0 family inet6\n";

  private final InMemoryBackend backend = new InMemoryBackend();

  @Test
  void restoredChainsAndRulesSaveInIptablesSaveShape() throws Exception {
    backend.restore(
        IpFamily.IPV4,
        "*filter\n"
            + ":KUBE-ROUTER-FORWARD - [0:0]\n"
            + "-A FORWARD -m comment --comment \"kube-router netpol - TEMCG2JMHZYE7H7T\""
            + " -j KUBE-ROUTER-FORWARD\n"
            + "-A KUBE-ROUTER-FORWARD -d 10.42.0.10 -j ACCEPT\n"
            + "COMMIT\n");

    assertThat(backend.saveFilterTable(IpFamily.IPV4))
        .contains(
            "*filter\n"
                + ":INPUT ACCEPT [0:0]\n"
                + ":FORWARD ACCEPT [0:0]\n"
                + ":OUTPUT ACCEPT [0:0]\n"
                + ":KUBE-ROUTER-FORWARD - [0:0]\n"
                + "-A FORWARD -m comment --comment \"kube-router netpol - TEMCG2JMHZYE7H7T\""
                + " -j KUBE-ROUTER-FORWARD\n"
                + "-A KUBE-ROUTER-FORWARD -d 10.42.0.10 -j ACCEPT\n"
                + "COMMIT\n");
    assertThat(backend.saveFilterTable(IpFamily.IPV6)).doesNotContain("KUBE-ROUTER-FORWARD");
  }

  @Test
  void noflushRestoreRefillsDeclaredChainsAndLeavesTheRestAlone() throws Exception {
    backend.restore(
        IpFamily.IPV4,
        "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j ACCEPT\n-A B -j DROP\n"
            + "-A INPUT -j A\nCOMMIT\n");
    backend.restore(IpFamily.IPV4, "*filter\n:A - [0:0]\n-A A -s 10.0.0.1 -j RETURN\nCOMMIT\n");

    assertThat(backend.saveFilterTable(IpFamily.IPV4))
        .contains("-A INPUT -j A\n-A A -s 10.0.0.1 -j RETURN\n-A B -j DROP\n")
        .doesNotContain("-A A -j ACCEPT");
  }

  @Test
  void insertDeleteAndDeleteChainEditInPlace() throws Exception {
    backend.restore(
        IpFamily.IPV4,
        "*filter\n:C - [0:0]\n-A C -j ACCEPT\n-A C -j DROP\n-A INPUT -j C\nCOMMIT\n");
    backend.restore(
        IpFamily.IPV4,
        "*filter\n-I C 2 -p tcp -j RETURN\n-D C -j DROP\n-D INPUT -j C\n"
            + ":D - [0:0]\n-X D\nCOMMIT\n");

    assertThat(backend.saveFilterTable(IpFamily.IPV4))
        .contains("-A C -j ACCEPT\n-A C -p tcp -j RETURN\nCOMMIT")
        .doesNotContain(":D ")
        .doesNotContain("-A INPUT");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jump to a missing chain | -A X -j KUBE-NWPLCY-MISSING | Chain 'KUBE-NWPLCY-MISSING' does"
            + " not exist",
        "append to a missing chain | -A NOPE -j ACCEPT | Chain 'NOPE' does not exist",
        "match on a missing set | -A X -m set --match-set KUBE-DST-NONE dst -j ACCEPT"
            + " | Set KUBE-DST-NONE doesn't exist.",
        "match on a set of the other family | -A X -m set --match-set inet6:KUBE-SRC-B src -j"
            + " ACCEPT | protocol family of set inet6:KUBE-SRC-B",
        "chain name over 28 characters | :KUBE-NWPLCY-ABCDEFGHIJKLMNOPQ - [0:0] | too long",
        "delete a chain still jumped to | -A INPUT -j X | Device or resource busy",
        "delete a rule that does not exist | -D X -j DROP | does a matching rule exist",
      })
  void rejectsWhatTheKernelRejectsAndAppliesNothing(String why, String line, String error)
      throws Exception {
    backend.ipsetRestore(SETS);
    // the busy case empties X first, so only the reference from INPUT stands in the way
    String extra = line.startsWith("-A INPUT") ? "-F X\n" + line + "\n-X X\n" : line + "\n";
    String text = "*filter\n:X - [0:0]\n-A X -j ACCEPT\n" + extra + "COMMIT\n";

    assertThatThrownBy(() -> backend.restore(IpFamily.IPV4, text))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining(error)
        .hasMessageContaining("line");
    assertThat(backend.saveFilterTable(IpFamily.IPV4)).doesNotContain(":X ");
  }

  @Test
  void aMissingCommitIsAnError() {
    assertThatThrownBy(() -> backend.restore(IpFamily.IPV4, "*filter\n:X - [0:0]\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("COMMIT expected");
  }

  @Test
  void aChainNameOfExactly28CharactersIsAccepted() throws Exception {
    backend.restore(IpFamily.IPV4, "*filter\n:KUBE-NWPLCY-C23KD7UE4TAT3Y5M - [0:0]\nCOMMIT\n");
    assertThat(backend.saveFilterTable(IpFamily.IPV4))
        .contains(":KUBE-NWPLCY-C23KD7UE4TAT3Y5M - [0:0]");
  }

  @Test
  void kubeRouterStyleSwapScriptReplacesMembers() throws Exception {
    backend.ipsetRestore(
        "create KUBE-DST-X hash:ip timeout 0\nadd KUBE-DST-X 10.42.9.9 timeout 0\n");
    backend.ipsetRestore(
        "create TMP-PRBJ7ASFQM5DJR3Q hash:ip timeout 0\n"
            + "flush TMP-PRBJ7ASFQM5DJR3Q\n"
            + "add TMP-PRBJ7ASFQM5DJR3Q 10.42.0.10 timeout 0\n"
            + "add TMP-PRBJ7ASFQM5DJR3Q 10.42.0.11 timeout 0\n"
            + "create KUBE-DST-X hash:ip timeout 0\n"
            + "swap TMP-PRBJ7ASFQM5DJR3Q KUBE-DST-X\n"
            + "flush TMP-PRBJ7ASFQM5DJR3Q\n"
            + "destroy TMP-PRBJ7ASFQM5DJR3Q\n");

    assertThat(backend.saveSets())
        .isEqualTo(
            "create KUBE-DST-X hash:ip family inet timeout 0\n"
                + "add KUBE-DST-X 10.42.0.10 timeout 0\n"
                + "add KUBE-DST-X 10.42.0.11 timeout 0\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "add to a missing set | add NOPE 10.0.0.1 | The set with the given name does not exist",
        "IPv6 member in an IPv4 set | add KUBE-SRC-A fd00::1 | resolving to IPv4 address failed",
        "same name, other type | create KUBE-SRC-A hash:net timeout 0 | same name already exists",
        "destroy a set a rule uses | destroy KUBE-SRC-A | in use by a kernel component",
        "swap sets of different kinds | swap KUBE-SRC-A inet6:KUBE-SRC-B | type does not match",
      })
  void ipsetRejectsWhatTheKernelRejects(String why, String line, String error) throws Exception {
    backend.ipsetRestore(SETS);
    backend.restore(
        IpFamily.IPV4,
        "*filter\n:X - [0:0]\n-A X -m set --match-set KUBE-SRC-A src -j ACCEPT\nCOMMIT\n");
    String before = backend.saveSets();

    assertThatThrownBy(() -> backend.ipsetRestore("create OK hash:ip\n" + line + "\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining(error)
        .hasMessageContaining("line 2");
    assertThat(backend.saveSets()).isEqualTo(before);
  }

  @Test
  void reCreatingAnIdenticalSetAndReAddingAMemberAreNoOps() throws Exception {
    backend.ipsetRestore(SETS);
    backend.ipsetRestore(
        "create KUBE-SRC-A hash:ip timeout 0\nadd KUBE-SRC-A 10.42.0.11 timeout 0\n");
    assertThat(backend.saveSets()).containsOnlyOnce("add KUBE-SRC-A 10.42.0.11");
    assertThat(backend.successfulRestores()).isEqualTo(2);
  }

  @Test
  void ipv6RulesMayUseIpv6Sets() throws Exception {
    backend.ipsetRestore(SETS);
    backend.restore(
        IpFamily.IPV6,
        "*filter\n:Y - [0:0]\n-A Y -m set --match-set inet6:KUBE-SRC-B src -j ACCEPT\nCOMMIT\n");
    assertThat(backend.saveFilterTable(IpFamily.IPV6))
        .contains("-A Y -m set --match-set inet6:KUBE-SRC-B src -j ACCEPT");
    assertThat(backend.saveSets())
        .contains("create inet6:KUBE-SRC-B hash:ip family inet6 timeout 0");
  }
}
