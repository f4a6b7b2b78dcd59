package io.netsvc.actors.ccm.model;

import static io.netsvc.actors.ccm.model.NodeAnnotations.EXTERNAL_DNS;
import static io.netsvc.actors.ccm.model.NodeAnnotations.EXTERNAL_IP;
import static io.netsvc.actors.ccm.model.NodeAnnotations.HOSTNAME;
import static io.netsvc.actors.ccm.model.NodeAnnotations.INTERNAL_DNS;
import static io.netsvc.actors.ccm.model.NodeAnnotations.INTERNAL_IP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's address annotations (K3s configureNode). */
class NodeAnnotationsTest {

  @Test
  void ccmEnabledJoinsEveryList() {
    Map<String, String> d =
        NodeAnnotations.desired(
            true,
            List.of("10.0.0.1", "fd00::1"),
            List.of("203.0.113.5"),
            List.of("n1.lan"),
            List.of("n1.example.com", "www.example.com"),
            "box",
            "n1");
    assertThat(d)
        .containsExactly(
            entry(INTERNAL_IP, "10.0.0.1,fd00::1"),
            entry(EXTERNAL_IP, "203.0.113.5"),
            entry(INTERNAL_DNS, "n1.lan"),
            entry(EXTERNAL_DNS, "n1.example.com,www.example.com"),
            entry(HOSTNAME, "box"));
  }

  @Test
  void unsetListsRemoveTheirKeys() {
    Map<String, String> d =
        NodeAnnotations.desired(true, List.of("10.0.0.1"), null, List.of(), List.of(""), "", "n1");
    assertThat(d)
        .containsEntry(INTERNAL_IP, "10.0.0.1")
        .containsEntry(EXTERNAL_IP, null)
        .containsEntry(INTERNAL_DNS, null)
        .containsEntry(EXTERNAL_DNS, null)
        .containsEntry(HOSTNAME, "n1");
  }

  @Test
  void ccmDisabledRemovesAllFive() {
    Map<String, String> d =
        NodeAnnotations.desired(
            false, List.of("10.0.0.1"), List.of("1.2.3.4"), List.of("a"), List.of("b"), "h", "n1");
    assertThat(d).hasSize(5).containsOnlyKeys(NodeAnnotations.KEYS);
    assertThat(d.values()).containsOnlyNulls();
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource({
    "box, box",
    "'', n1",
    ", n1", // null: os.Hostname() failed
    "localhost, n1",
    "localhost.localdomain, n1",
    "my-localhost-vm, n1", // K3s matches "contains"
    "LOCALHOST, LOCALHOST", // and is case-sensitive
    "n1, n1",
  })
  void hostnameFallsBackToTheNodeName(String osHostname, String expected) {
    assertThat(NodeAnnotations.hostname(osHostname, "n1")).isEqualTo(expected);
    assertThat(
            NodeAnnotations.desired(true, List.of("10.0.0.1"), null, null, null, osHostname, "n1"))
        .containsEntry(HOSTNAME, expected);
  }

  @Test
  void changesAreEmptyWhenInSync() {
    Map<String, String> current =
        Map.of(INTERNAL_IP, "10.0.0.1", HOSTNAME, "box", "other.io/keep", "x");
    Map<String, String> desired =
        NodeAnnotations.desired(true, List.of("10.0.0.1"), null, null, null, "box", "n1");
    assertThat(NodeAnnotations.changes(current, desired)).isEmpty();
  }

  @Test
  void changesSetWhatDiffersAndRemoveOnlyWhatIsThere() {
    Map<String, String> current = new HashMap<>();
    current.put(INTERNAL_IP, "10.0.0.1");
    current.put(EXTERNAL_IP, "203.0.113.5");
    current.put(HOSTNAME, "box");
    current.put("other.io/keep", "x");
    Map<String, String> desired =
        NodeAnnotations.desired(
            true, List.of("10.0.0.2"), null, List.of("n1.lan"), null, "box", "n1");
    assertThat(NodeAnnotations.changes(current, desired))
        .containsOnly(
            entry(INTERNAL_IP, "10.0.0.2"),
            entry(EXTERNAL_IP, null),
            entry(INTERNAL_DNS, "n1.lan"));
  }

  @Test
  void disablingTheCcmRemovesOnlyPresentKeys() {
    Map<String, String> current = Map.of(INTERNAL_IP, "10.0.0.1", HOSTNAME, "box");
    Map<String, String> desired =
        NodeAnnotations.desired(false, List.of("10.0.0.1"), null, null, null, "box", "n1");
    assertThat(NodeAnnotations.changes(current, desired))
        .containsOnly(entry(INTERNAL_IP, null), entry(HOSTNAME, null));
    assertThat(NodeAnnotations.changes(Map.of(), desired)).isEmpty();
    assertThat(NodeAnnotations.changes(null, desired)).isEmpty();
  }
}
