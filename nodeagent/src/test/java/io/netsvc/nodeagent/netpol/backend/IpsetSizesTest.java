package io.netsvc.nodeagent.netpol.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.ip.IpFamily;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The member counts the drift check compares, from the tools' listings and the in-memory kernel.
 */
class IpsetSizesTest {

  @Test
  void theTerseListingsHeadersGiveEachSetsCount() {
    // as ipset 7.17 prints `ipset list -terse`
    String list =
        String.join(
            "\n",
            "Name: KUBE-SRC-A",
            "Type: hash:ip",
            "Revision: 6",
            "Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x5610fdf4",
            "Size in memory: 296",
            "References: 1",
            "Number of entries: 2",
            "",
            "Name: inet6:KUBE-DST-B",
            "Type: hash:net",
            "Revision: 7",
            "Header: family inet6 hashsize 1024 maxelem 65536",
            "Size in memory: 1240",
            "References: 0",
            "Number of entries: 0",
            "");
    assertThat(IpsetSizes.ofTerseList(list))
        .contains(Map.of("KUBE-SRC-A", 2, "inet6:KUBE-DST-B", 0));
    assertThat(IpsetSizes.ofTerseList("")).contains(Map.of());
  }

  @Test
  void headersWithoutACountAreNoAnswer() {
    // an ipset older than the "Number of entries" line: the caller reads a save instead
    String old =
        String.join(
            "\n",
            "Name: KUBE-SRC-A",
            "Type: hash:ip",
            "Header: family inet hashsize 1024 maxelem 65536",
            "Size in memory: 296",
            "References: 1",
            "",
            "Name: KUBE-SRC-B",
            "Type: hash:ip",
            "Number of entries: 4",
            "");
    assertThat(IpsetSizes.ofTerseList(old)).isEmpty();
    assertThat(IpsetSizes.ofTerseList("Name: A\nType: hash:ip\n")).isEmpty();
  }

  @Test
  void aSaveIsCountedMemberByMember() {
    String save =
        String.join(
            "\n",
            "create KUBE-SRC-A hash:ip family inet hashsize 1024 maxelem 65536",
            "add KUBE-SRC-A 10.42.0.5",
            "  add\tKUBE-SRC-A   10.42.0.6  ",
            "create KUBE-DST-B hash:net family inet6\r",
            "create KUBE-EMPTY hash:ip",
            "add KUBE-DST-B fd00::/64",
            "add KUBE-DST-B", // no member: not one
            "added KUBE-DST-B 10.0.0.1", // not an add
            "add OTHER-TOOL 10.1.1.1", // a set of another tool, seen as the kernel has it
            "",
            "create");
    assertThat(IpsetSizes.ofSave(save))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("KUBE-SRC-A", 2, "KUBE-DST-B", 1, "KUBE-EMPTY", 0, "OTHER-TOOL", 1));
  }

  @Test
  void theInMemoryKernelCountsAsItsSaveDoes() throws Exception {
    InMemoryBackend kernel = new InMemoryBackend();
    kernel.ipsetRestore(
        "create A hash:ip\nadd A 10.0.0.1\nadd A 10.0.0.2\nadd A 10.0.0.3\n"
            + "create inet6:B hash:net family inet6\nadd inet6:B fd00::/64\ncreate C hash:ip\n");
    kernel.ipsetRestore("del A 10.0.0.2\nadd A 10.0.0.1\ncreate T hash:ip\nadd T 10.0.0.9\n");
    kernel.ipsetRestore("swap T C\ndestroy T\n");
    Map<String, Integer> expected = Map.of("A", 2, "inet6:B", 1, "C", 1);
    assertThat(IpsetSizes.ofSave(kernel.saveSets())).isEqualTo(expected);
    assertThat(kernel.setSizes()).isEqualTo(expected);
    // a rejected script changes no count
    try {
      kernel.ipsetRestore("add A 10.0.0.7\nadd NOPE 10.0.0.8\n");
    } catch (BackendException expectedRejection) {
      // the kernel rejects the second line, and with it the script
    }
    assertThat(kernel.setSizes()).isEqualTo(expected);
    assertThat(kernel.saveFilterTable(IpFamily.IPV4)).doesNotContain("-A ");
  }
}
