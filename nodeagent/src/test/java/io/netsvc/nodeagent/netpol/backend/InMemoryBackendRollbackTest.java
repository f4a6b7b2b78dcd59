package io.netsvc.nodeagent.netpol.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsvc.config.ip.IpFamily;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A text the kernel rejects halfway leaves everything as it was: the rules, the sets and their
 * order, and what is in use (a set or chain a rule still needs stays undeletable, one the rejected
 * text only seemed to free or take stays as it was).
 */
class InMemoryBackendRollbackTest {
  private final InMemoryBackend backend = new InMemoryBackend();

  @BeforeEach
  void node() throws Exception {
    backend.ipsetRestore(
        "create S1 hash:ip timeout 0\n"
            + "add S1 10.42.0.1 timeout 0\n"
            + "add S1 10.42.0.2 timeout 0\n"
            + "add S1 10.42.0.3 timeout 0\n"
            + "create S2 hash:ip timeout 0\n"
            + "add S2 10.42.1.1 timeout 0\n"
            + "create S3 hash:ip timeout 0\n"
            + "create T3 hash:ip timeout 0\n"
            + "create U hash:ip timeout 0\n"
            + "create S6 hash:ip timeout 0 family inet6\n");
    backend.restore(
        IpFamily.IPV4,
        "*filter\n"
            + ":X - [0:0]\n"
            + ":Y - [0:0]\n"
            + ":C - [0:0]\n"
            + "-A X -m set --match-set S1 src -j ACCEPT\n"
            + "-A X -j C\n"
            + "-A Y -m set --match-set S2 src -j ACCEPT\n"
            + "-A C -j RETURN\n"
            + "-A INPUT -j X\n"
            + "-A INPUT -j Y\n"
            + "COMMIT\n");
  }

  @Test
  void aRejectedIptablesTextLeavesBothFamiliesAndTheSetsAsTheyWere() throws Exception {
    String v4 = backend.saveFilterTable(IpFamily.IPV4);
    String v6 = backend.saveFilterTable(IpFamily.IPV6);
    String sets = backend.saveSets();

    assertThatThrownBy(
            () ->
                backend.restore(
                    IpFamily.IPV4,
                    "*filter\n"
                        + ":INPUT DROP [0:0]\n"
                        + ":X - [0:0]\n"
                        + "-A X -m set --match-set S3 dst -j DROP\n"
                        + "-I Y 1 -s 10.0.0.9 -j RETURN\n"
                        + "-R Y 2 -m set --match-set S3 src -j ACCEPT\n"
                        + "-D INPUT -j Y\n"
                        + "-D INPUT 1\n"
                        + "-N NEW\n"
                        + "-A NEW -j C\n"
                        + "-F C\n"
                        + "-F Y\n"
                        + "-X Y\n"
                        + "-P FORWARD DROP\n"
                        + "-A X -j MISSING\n"
                        + "COMMIT\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("Chain 'MISSING' does not exist")
        .hasMessageContaining("line: 15");

    assertThat(backend.saveFilterTable(IpFamily.IPV4)).isEqualTo(v4);
    assertThat(backend.saveFilterTable(IpFamily.IPV6)).isEqualTo(v6);
    assertThat(backend.saveSets()).isEqualTo(sets);
  }

  @Test
  void afterARejectedTextTheSetsInUseAreExactlyTheOnesTheKeptRulesMatch() throws Exception {
    // frees S1 (X refilled without it) and S2 (Y emptied), takes S3, then fails
    assertThatThrownBy(
            () ->
                backend.restore(
                    IpFamily.IPV4,
                    "*filter\n:X - [0:0]\n-A X -m set --match-set S3 src -j ACCEPT\n-F Y\n"
                        + "-A X -m set --match-set NONE src -j ACCEPT\nCOMMIT\n"))
        .isInstanceOf(BackendException.class);

    assertInUse("S1");
    assertInUse("S2");
    backend.ipsetRestore("destroy S3\n");
    assertThat(backend.saveSets()).doesNotContain("create S3 ");
  }

  @Test
  void aSetFreedByAnAcceptedTextCanBeDestroyedAndAReplacedMatchMovesItsUse() throws Exception {
    backend.restore(
        IpFamily.IPV4, "*filter\n-R X 1 -m set --match-set T3 src -j ACCEPT\n-F Y\nCOMMIT\n");

    backend.ipsetRestore("destroy S1\ndestroy S2\n");
    assertInUse("T3");
    assertThat(backend.saveSets()).doesNotContain("create S1 ").doesNotContain("create S2 ");
  }

  @Test
  void aSetAnIpv6RuleMatchesStaysInUseWhenTheIpv4RulesLetGo() throws Exception {
    backend.restore(
        IpFamily.IPV6, "*filter\n:Z - [0:0]\n-A Z -m set --match-set S6 src -j ACCEPT\nCOMMIT\n");
    backend.restore(IpFamily.IPV4, "*filter\n-F X\n-F Y\nCOMMIT\n");

    assertInUse("S6");
    backend.ipsetRestore("destroy S1\n");
  }

  @Test
  void afterARejectedTextAChainStillJumpedToCannotBeDeletedAndANewJumpIsForgotten()
      throws Exception {
    backend.restore(IpFamily.IPV4, "*filter\n:D - [0:0]\nCOMMIT\n");
    // drops the only jump to C, adds one to D, then fails
    assertThatThrownBy(
            () ->
                backend.restore(
                    IpFamily.IPV4,
                    "*filter\n-D X -j C\n-A INPUT -j D\n-A NOPE -j ACCEPT\nCOMMIT\n"))
        .isInstanceOf(BackendException.class);

    assertThatThrownBy(() -> backend.restore(IpFamily.IPV4, "*filter\n-F C\n-X C\nCOMMIT\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("Device or resource busy: chain C in use");
    backend.restore(IpFamily.IPV4, "*filter\n-X D\nCOMMIT\n");
    assertThat(backend.saveFilterTable(IpFamily.IPV4)).doesNotContain(":D ").contains(":C ");
  }

  @Test
  void aChainLetGoByAnAcceptedTextCanBeDeleted() throws Exception {
    backend.restore(IpFamily.IPV4, "*filter\n:X - [0:0]\n-F C\n-X C\nCOMMIT\n");
    assertThat(backend.saveFilterTable(IpFamily.IPV4)).doesNotContain(":C ");
  }

  @Test
  void aRejectedIpsetScriptLeavesSetsMembersAndTheirOrderAsTheyWere() throws Exception {
    String before = backend.saveSets();

    assertThatThrownBy(
            () ->
                backend.ipsetRestore(
                    "del S1 10.42.0.1\n"
                        + "add S1 10.42.0.2 timeout 5\n"
                        + "add S1 10.42.0.9 timeout 0\n"
                        + "flush S2\n"
                        + "add S2 10.42.1.2 timeout 0\n"
                        + "swap S3 T3\n"
                        + "destroy T3\n"
                        + "destroy U\n"
                        + "rename S6 R6\n"
                        + "create S7 hash:net\n"
                        + "destroy S1\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("line 11")
        .hasMessageContaining("in use");

    assertThat(backend.saveSets()).isEqualTo(before);
    // and it still works on that state
    backend.ipsetRestore("del S1 10.42.0.1\nadd S1 10.42.0.1 timeout 0\n");
    assertThat(backend.saveSets())
        .contains(
            "add S1 10.42.0.2 timeout 0\nadd S1 10.42.0.3 timeout 0\nadd S1 10.42.0.1 timeout 0\n");
  }

  private void assertInUse(String set) {
    assertThatThrownBy(() -> backend.ipsetRestore("destroy " + set + "\n"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("in use by a kernel component (" + set + ")");
  }
}
