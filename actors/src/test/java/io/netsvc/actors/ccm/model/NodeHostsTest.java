package io.netsvc.actors.ccm.model;

import static io.netsvc.actors.ccm.model.Nodes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.NodeInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** K3s's NodeHosts rules (pkg/node/controller.go). '|' stands for a newline in the tables. */
class NodeHostsTest {

  private static NodeInfo node(String name, String addresses) {
    return Nodes.named(name).addresses(addresses).build();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "first node; ''; InternalIP=10.0.0.1,Hostname=n1; 10.0.0.1 n1|",
        "hostname differs; ''; InternalIP=10.0.0.1,Hostname=h1; 10.0.0.1 n1 h1|",
        "no hostname address; ''; InternalIP=10.0.0.1; 10.0.0.1 n1|",
        "dual stack; ''; InternalIP=10.0.0.1,InternalIP=fd00::1,Hostname=h1;"
            + " 10.0.0.1 n1 h1|fd00::1 n1 h1|",
        "last of a family wins; ''; InternalIP=10.0.0.1,InternalIP=10.0.0.9,InternalIP=fd00::1,"
            + "InternalIP=fd00::2,Hostname=n1; 10.0.0.9 n1|fd00::2 n1|",
        "other address types ignored; ''; ExternalIP=1.2.3.4,InternalIP=10.0.0.1,"
            + "InternalDNS=n1.lan,Hostname=n1; 10.0.0.1 n1|",
        "stale IP replaced; 10.0.0.1 n1|10.0.0.2 n2|; InternalIP=10.0.0.5,Hostname=n1;"
            + " 10.0.0.2 n2|10.0.0.5 n1|",
        "only the stale family replaced; 10.0.0.1 n1|fd00::1 n1|;"
            + " InternalIP=10.0.0.1,InternalIP=fd00::2,Hostname=n1; 10.0.0.1 n1|fd00::2 n1|",
        "hostname changed; 10.0.0.1 n1 h1|; InternalIP=10.0.0.1,Hostname=h2; 10.0.0.1 n1 h2|",
        "sorted by bytes, not text; 10.0.0.10 n3|10.0.0.2 n2|; InternalIP=10.0.0.9,Hostname=n1;"
            + " 10.0.0.2 n2|10.0.0.9 n1|10.0.0.10 n3|",
        "IPv4 sorts as ::ffff:a.b.c.d; 2001:db8::5 n5|fe80::1 ll|::1 lo|fd00::7 n7|;"
            + " InternalIP=192.168.1.1,Hostname=n1;"
            + " ::1 lo|192.168.1.1 n1|2001:db8::5 n5|fd00::7 n7|fe80::1 ll|",
        "not an IP sorts first; zz-not-an-ip n9|; InternalIP=10.0.0.1,Hostname=n1;"
            + " zz-not-an-ip n9|10.0.0.1 n1|",
        "comments stripped; # managed by netsvc|10.0.0.2 n2 # second|;"
            + " InternalIP=10.0.0.1,Hostname=n1; 10.0.0.1 n1|10.0.0.2 n2|",
        "lines with one field dropped; 10.0.0.7|   |10.0.0.2 n2|; InternalIP=10.0.0.1,Hostname=n1;"
            + " 10.0.0.1 n1|10.0.0.2 n2|",
        "white space normalised; '10.0.0.2\t n2  alias \r|'; InternalIP=10.0.0.1,Hostname=n1;"
            + " 10.0.0.1 n1|10.0.0.2 n2 alias|",
        "last line for an IP wins; 10.0.0.2 a|10.0.0.2 b|; InternalIP=10.0.0.1,Hostname=n1;"
            + " 10.0.0.1 n1|10.0.0.2 b|",
        "our IP taken from another name; 10.0.0.1 old|; InternalIP=10.0.0.1,Hostname=n1;"
            + " 10.0.0.1 n1|",
        "node as second name is not ours; 10.0.0.3 n3 n1|; InternalIP=10.0.0.1,Hostname=n1;"
            + " 10.0.0.1 n1|10.0.0.3 n3 n1|",
      })
  void writesTheNodesLines(String why, String existing, String addresses, String expected) {
    assertThat(NodeHosts.sync(lines(existing), node("n1", addresses)))
        .as(why)
        .isEqualTo(lines(expected));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "exact; 10.0.0.1 n1|; InternalIP=10.0.0.1,Hostname=n1",
        "unsorted file; 10.0.0.2 n2|10.0.0.1 n1|; InternalIP=10.0.0.1,Hostname=n1",
        "comment kept; 10.0.0.1 n1 # me|; InternalIP=10.0.0.1,Hostname=n1",
        "hostname equal to node name; 10.0.0.1 n1|; InternalIP=10.0.0.1,Hostname=n1",
        "dual stack; fd00::1 n1 h1|10.0.0.1 n1 h1|;"
            + " InternalIP=10.0.0.1,InternalIP=fd00::1,Hostname=h1",
        // K3s checks only the node's current entries: a stale line waits for the next change
        "stale line of the node kept; 10.0.0.1 n1|10.0.0.9 n1|; InternalIP=10.0.0.9,Hostname=n1",
        "no InternalIP; 10.0.0.1 n1|; ExternalIP=1.2.3.4,Hostname=n1",
      })
  void inSyncReturnsTheSameString(String why, String existing, String addresses) {
    String text = lines(existing);
    assertThat(NodeHosts.sync(text, node("n1", addresses))).as(why).isSameAs(text);
  }

  @Test
  void missingKeyIsAnEmptyFile() {
    assertThat(NodeHosts.sync(null, node("n1", "InternalIP=10.0.0.1,Hostname=n1")))
        .isEqualTo("10.0.0.1 n1\n");
    assertThat(NodeHosts.sync(null, node("n1", "Hostname=n1"))).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "both families; 10.0.0.1 n1 h1|10.0.0.2 n2|fd00::1 n1 h1|; 10.0.0.2 n2|",
        "stale lines too; 10.0.0.1 n1|10.0.0.8 n1|10.0.0.2 n2|; 10.0.0.2 n2|",
        "last node; 10.0.0.1 n1|; ''",
        "second name is not the node; 10.0.0.3 n3 n1|; 10.0.0.3 n3 n1|",
        // K3s rewrites the whole file on every node deletion
        "file normalised; # hand-made|10.0.0.2  n2|; 10.0.0.2 n2|",
      })
  void removeDropsTheNodesLines(String why, String existing, String expected) {
    assertThat(NodeHosts.remove(lines(existing), "n1")).as(why).isEqualTo(lines(expected));
  }

  @Test
  void removeWithNothingToChangeReturnsTheSameString() {
    String text = "10.0.0.2 n2\n10.0.0.3 n3\n";
    assertThat(NodeHosts.remove(text, "n1")).isSameAs(text);
    assertThat(NodeHosts.remove(null, "n1")).isNull();
  }

  @Test
  void syncThenRemoveRestoresTheFile() {
    String before = "10.0.0.2 n2\nfd00::2 n2\n";
    String with = NodeHosts.sync(before, node("n1", "InternalIP=10.0.0.1,InternalIP=fd00::1"));
    assertThat(with).isEqualTo("10.0.0.1 n1\n10.0.0.2 n2\nfd00::1 n1\nfd00::2 n2\n");
    assertThat(NodeHosts.remove(with, "n1")).isEqualTo(before);
  }

  @ParameterizedTest
  @CsvSource({"'a b\tc', 3", "'  a  ', 1", "'a\u00a0b', 2", "'a\u2003b', 2", "'a\u001cb', 1"})
  void fieldsSplitLikeGo(String line, int count) {
    assertThat(NodeHosts.fields(line)).hasSize(count);
  }

  @Test
  void k3sOrderPutsIpv4BetweenLowAndGlobalIpv6() {
    List<String> sorted =
        Stream.of("fe80::1", "10.0.0.10", "::1", "2001:db8::1", "junk", "10.0.0.9", "fd00::1", "::")
            .sorted(NodeHosts.K3S_ORDER)
            .toList();
    assertThat(sorted)
        .containsExactly(
            "junk", "::", "::1", "10.0.0.9", "10.0.0.10", "2001:db8::1", "fd00::1", "fe80::1");
  }

  @Test
  void sameAddressInTwoSpellingsIsOrderedByText() {
    assertThat(Stream.of("::ffff:10.0.0.1", "10.0.0.1").sorted(NodeHosts.K3S_ORDER).toList())
        .containsExactly("10.0.0.1", "::ffff:10.0.0.1");
  }

  @Test
  void k3sOrderReadsAddressesLikeGoSoALeadingZeroIsNotAnAddress() {
    // Go 1.17+ refuses 010.0.0.1, so it sorts first like any other text that is not an IP
    assertThat(Stream.of("10.0.0.1", "010.0.0.1").sorted(NodeHosts.K3S_ORDER).toList())
        .containsExactly("010.0.0.1", "10.0.0.1");
  }
}
