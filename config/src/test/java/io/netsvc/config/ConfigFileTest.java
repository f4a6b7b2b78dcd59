package io.netsvc.config;

import static io.netsvc.config.CliTesting.run;
import static io.netsvc.config.CliTesting.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {

  @TempDir Path dir;

  private Path config(String yaml) throws Exception {
    return Files.writeString(dir.resolve("config.yaml"), yaml);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'disable: [traefik, coredns]'   | TRAEFIK COREDNS",
        "'disable: traefik,coredns'      | TRAEFIK COREDNS",
        "'disable: traefik'              | TRAEFIK",
        "'disable:\n- servicelb\n- metrics-server,runtimes' | SERVICELB METRICS_SERVER RUNTIMES",
      })
  void disableAsListOrCommaString(String yaml, String expected) throws Exception {
    config(yaml.replace("\\n", "\n"));

    Set<Component> want =
        Set.copyOf(List.of(expected.split(" ")).stream().map(Component::valueOf).toList());
    assertEquals(want, run(dir, "server", "--config", "config.yaml").disabled());
  }

  @Test
  void fileSetsEveryKindOfValue() throws Exception {
    config(
        """
        servicelb-namespace: lb
        cluster-port: 2552
        disable-network-policy: true
        node-ip: [10.0.0.1, "fd00::1"]
        node-name: edge-1
        seed: 10.0.0.9:2552
        log-level: warn
        log-format: json
        """);

    Settings s = run(dir, "agent", "-c", "config.yaml");

    assertEquals("lb", s.servicelbNamespace());
    assertEquals(2552, s.cluster().clusterPort());
    assertTrue(s.disableNetworkPolicy());
    assertEquals(new NodeSettings("edge-1", List.of("10.0.0.1", "fd00::1"), List.of()), s.node());
    assertEquals(List.of("10.0.0.9:2552"), s.cluster().seedNodes());
    assertEquals("warn", s.logLevel());
    assertEquals(LogFormat.JSON, s.logFormat());
  }

  @Test
  void commandLineFlagsWinOverTheFile() throws Exception {
    config(
        """
        servicelb-namespace: from-file
        disable: [traefik, coredns]
        node-ip: 10.0.0.1
        log-level: debug
        """);

    Settings s =
        run(
            dir,
            "agent",
            "--servicelb-namespace=from-flag",
            "--config=config.yaml",
            "--disable",
            "servicelb");

    assertEquals("from-flag", s.servicelbNamespace());
    // a list flag given on the command line replaces the file's list, it does not add to it
    assertEquals(Set.of(Component.SERVICELB), s.disabled());
    assertEquals(List.of("10.0.0.1"), s.node().nodeIPs());
    assertEquals("debug", s.logLevel());
  }

  @Test
  void nodesOnTheCommandLineBeatsScenarioInTheFile() throws Exception {
    Files.writeString(dir.resolve("s.yaml"), "nodes: [{name: a}]\n");
    config("scenario: s.yaml\nmembers: 2\n");

    Settings s = run(dir, "sim", "-c", "config.yaml", "--nodes", "5");

    assertEquals(5, s.sim().scenario().nodes().size());
    assertEquals(2, s.sim().members());
  }

  @Test
  void emptyFileChangesNothing() throws Exception {
    config("# nothing yet\n");

    assertEquals("kube-system", run(dir, "server", "-c", "config.yaml").servicelbNamespace());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "server | 'servicelb-namespace: lb\nfoo: 1'   | unknown key 'foo' in config file CONFIG (not a flag of 'netsvc server')",
        "sim    | 'node-ip: 10.0.0.1'                 | unknown key 'node-ip' in config file CONFIG (not a flag of 'netsvc sim')",
        "server | 'nodes: 3'                          | unknown key 'nodes'",
        "server | 'config: other.yaml'                | unknown key 'config'",
        "server | 'disable: [traefik, dns]'           | invalid --disable 'dns' (in config file CONFIG): unknown component",
        "agent  | 'node-ip: [10.0.0.1, 10.0.0.300]'   | invalid --node-ip '10.0.0.300' (in config file CONFIG)",
        "server | 'servicelb-namespace: LB'           | invalid --servicelb-namespace 'LB' (in config file CONFIG)",
        "server | 'servicelb-namespace: [a, b]'       | key 'servicelb-namespace' in config file CONFIG takes a single value, not a list",
        "server | 'disable: {traefik: true}'          | key 'disable' in config file CONFIG must be a string or a list of strings",
        "server | 'disable-network-policy: maybe'     | invalid --disable-network-policy 'maybe' (in config file CONFIG): expected true or false",
        "server | '- just\n- a list'                  | config file CONFIG: expected a mapping",
        "server | 'disable: [traefik'                 | config file CONFIG: invalid YAML: expected ',' or ']', but got <stream end>",
        "server | 'nodes:\n<TAB>- a'                   | config file CONFIG: invalid YAML: found character '\\t(TAB)' that cannot start any token",
        "server | 'a: b: c'                           | config file CONFIG: invalid YAML: mapping values are not allowed here (line 1",
        "server | 'disable: a\ndisable: b'            | config file CONFIG: invalid YAML: Duplicate field 'disable'",
      })
  void badFiles(String command, String yaml, String expected) throws Exception {
    Path file = config(yaml.replace("<TAB>", "\t"));

    String err = usageError(dir, command, "--config", file.toString());

    assertTrue(err.contains(expected.replace("CONFIG", file.toString())), err);
  }

  @Test
  void missingFile() {
    assertEquals(
        "netsvc: config file " + dir.resolve("nope.yaml") + ": no such file",
        usageError(dir, "sim", "--config", "nope.yaml"));
  }

  @Test
  void binaryFile() throws Exception {
    Path file = Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    assertEquals(
        "netsvc: config file " + file + ": not UTF-8 text",
        usageError(dir, "server", "-c", file.toString()));
  }

  @Test
  void unreadableFile() {
    assertEquals(
        "netsvc: config file " + dir + ": not a readable file",
        usageError(dir, "sim", "--config", dir.toString()));
  }
}
