package io.netsvc.config;

import static io.netsvc.config.CliTesting.run;
import static io.netsvc.config.CliTesting.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netsvc.config.SimNodeSpec.TaintSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioFileTest {

  @TempDir Path dir;

  private Path scenario(String yaml) throws Exception {
    return Files.writeString(dir.resolve("scenario.yaml"), yaml);
  }

  @Test
  void nodesWithDualStackAddressesLabelsAndTaints() throws Exception {
    Path file =
        scenario(
            """
            nodes:
            - name: cp-1
              internalIP: [10.0.0.1, "FD00:0:0::1"]
              externalIP: 203.0.113.1,2001:db8::1
              labels:
                node-role.kubernetes.io/control-plane: "true"
                svccontroller.k3s.cattle.io/enablelb: true
              taints:
              - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}
              - {key: dedicated, value: lb, effect: NoExecute}
            - name: worker-1
              internalIP: 10.0.0.2
              labels: {kubernetes.io/hostname: custom}
            """);

    Settings s = run(dir, "sim", "--scenario", "scenario.yaml");

    assertEquals(Optional.of(file), s.sim().scenarioFile());
    assertEquals(2, s.sim().nodes());
    SimNodeSpec cp = s.sim().scenario().nodes().get(0);
    assertEquals(
        new SimNodeSpec(
            "cp-1",
            List.of("10.0.0.1", "fd00::1"),
            List.of("203.0.113.1", "2001:db8::1"),
            Map.of(
                "kubernetes.io/hostname", "cp-1",
                "kubernetes.io/os", "linux",
                "node-role.kubernetes.io/control-plane", "true",
                "svccontroller.k3s.cattle.io/enablelb", "true"),
            List.of(
                new TaintSpec("node-role.kubernetes.io/control-plane", null, "NoSchedule"),
                new TaintSpec("dedicated", "lb", "NoExecute"))),
        cp);
    SimNodeSpec worker = s.sim().scenario().nodes().get(1);
    assertEquals(List.of("10.0.0.2"), worker.internalIPs());
    assertEquals(List.of(), worker.externalIPs());
    assertEquals(List.of(), worker.taints());
    assertEquals("custom", worker.labels().get("kubernetes.io/hostname"));
  }

  @Test
  void scenarioFromTheConfigFile() throws Exception {
    scenario("nodes: [{name: only}]\n");
    Files.writeString(dir.resolve("config.yaml"), "scenario: scenario.yaml\n");

    assertEquals(
        "only", run(dir, "sim", "-c", "config.yaml").sim().scenario().nodes().get(0).name());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'nodes: []'                                              | 'nodes' must be a non-empty"
            + " list",
        "'{}'                                                     | 'nodes' must be a non-empty"
            + " list",
        "'nodes: [{name: a}]\nextra: 1'                           | unknown key 'extra'",
        "'nodes: [{internalIP: 10.0.0.1}]'                        | node 1: 'name' is missing",
        "'nodes: [{name: Node_A}]'                                | node 1: name 'Node_A' is not a"
            + " valid DNS-1123 subdomain",
        "'nodes: [{name: a}, {name: a}]'                          | node name 'a' is used twice",
        "'nodes: [{name: a, ip: 10.0.0.1}]'                       | node 1 ('a'): unknown field"
            + " 'ip' (valid: externalIP, internalIP, labels, name, taints)",
        "'nodes: [{name: a}, {name: b, internalIP: 10.0.0.999}]'  | node 2 ('b'): internalIP:"
            + " '10.0.0.999' is not an IPv4 or IPv6 address",
        "'nodes: [{name: a, externalIP: [10.0.0.1, \"fd00::g\"]}]' | externalIP: 'fd00::g' is not"
            + " an IPv4 or IPv6 address",
        "'nodes: [{name: a, taints: [{key: k, effect: NoRun}]}]'  | taint 'k' has effect 'NoRun'"
            + " (valid: NoSchedule, PreferNoSchedule, NoExecute)",
        "'nodes: [{name: a, taints: [{key: k}]}]'                 | taint 'k' 'effect' is missing",
        "'nodes: [{name: a, taints: [{key: k, effect: NoSchedule}, {key: k, value: v, effect:"
            + " NoSchedule}]}]' | taint 'k:NoSchedule' is given twice",
        "'nodes: [{name: a, taints: [{key: \"bad key\", effect: NoSchedule}]}]' | 'bad key' is not"
            + " a valid taint key",
        "'nodes: [{name: a, labels: {\"-x\": y}}]'                | '-x' is not a valid label key",
        "'nodes: [{name: a, labels: {x: \"a b\"}}]'               | 'a b' is not a valid value for"
            + " label 'x'",
        "'nodes: [{name: a, labels: [x]}]'                        | 'labels' must be a mapping",
        "'nodes: [{name: a'                                       | invalid YAML",
      })
  void badScenarios(String yaml, String expected) throws Exception {
    Path file = scenario(yaml.replace("\\n", "\n"));

    String err = usageError(dir, "sim", "--scenario", file.toString());

    assertTrue(err.startsWith("netsvc: scenario file " + file + ": "), err);
    assertTrue(err.contains(expected), err);
  }
}
