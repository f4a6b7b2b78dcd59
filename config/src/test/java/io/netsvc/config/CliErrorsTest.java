package io.netsvc.config;

import static io.netsvc.config.CliTesting.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliErrorsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sim --fo                                | unknown option '--fo' (see 'netsvc sim --help')",
        "server --fo=1                           | unknown option '--fo' (see 'netsvc server"
            + " --help')",
        "sim --node-ip 10.0.0.1                  | unknown option '--node-ip' (see 'netsvc sim"
            + " --help')",
        "server --nodes 3                        | unknown option '--nodes'",
        "deploy                                  | unknown command 'deploy'",
        "sim extra                               | unexpected argument 'extra'",
        "sim --nodes                             | option '--nodes' needs a value",
        "agent --node-name --node-ip 10.0.0.1    | option '--node-name' needs a value",
        "agent --node-ip 10.0.0.256              | invalid --node-ip '10.0.0.256': not an IPv4 or"
            + " IPv6 address",
        "agent --node-ip 10.0.0.1,10.0.0.x       | invalid --node-ip '10.0.0.x'",
        "agent --node-ip 010.0.0.1               | invalid --node-ip '010.0.0.1'",
        "agent --node-ip fd00::1%eth0            | invalid --node-ip 'fd00::1%eth0'",
        "agent --node-ip localhost               | invalid --node-ip 'localhost'",
        "server --node-external-ip 1:2:3:4:5:6:7:8:9 | invalid --node-external-ip",
        "agent --node-name Bad_Name              | invalid --node-name 'Bad_Name'",
        "server --servicelb-namespace Kube-System | invalid --servicelb-namespace 'Kube-System'",
        "server --servicelb-namespace a.b        | invalid --servicelb-namespace 'a.b'",
        "server --disable traefik,dns            | invalid --disable 'dns': unknown component"
            + " (valid: coredns, servicelb, traefik, local-storage, metrics-server, runtimes)",
        "server --log-level trace                | invalid --log-level 'trace'",
        "agent --log-format logfmt               | invalid --log-format 'logfmt': valid formats"
            + " are text, json",
        "server --log-format JSON                | invalid --log-format 'JSON'",
        "server --cluster-port 70000             | invalid --cluster-port '70000': must be between"
            + " 0 and 65535",
        "server --management-port x              | invalid --management-port 'x': not a number",
        "server --seed 10.0.0.1                  | invalid --seed '10.0.0.1': expected host:port",
        "server --seed fd00::1:25520             | invalid --seed 'fd00::1:25520': write an IPv6"
            + " host in brackets",
        "server --seed host_1:25520              | invalid --seed 'host_1:25520'",
        "server --seed 10.0.0.1:0                | invalid --seed '10.0.0.1:0'",
        "server --bind-address 300.1.1.1         | invalid --bind-address '300.1.1.1'",
        "server --disable-network-policy=maybe   | '--disable-network-policy'",
        "server --kubeconfig missing.yaml        | invalid --kubeconfig 'missing.yaml': no such"
            + " file",
        "server --config missing.yaml            | config file",
        "sim --nodes 0                           | invalid --nodes '0': must be between 1 and 5000",
        "sim --nodes 5001                        | invalid --nodes '5001'",
        "sim --members 10                        | invalid --members '10': must be between 0 and 9",
        "sim --api-port -1                       | invalid --api-port '-1'",
        "sim --scenario missing.yaml             | invalid --scenario 'missing.yaml': no such file",
        "sim --agents=process                    | --agents=process needs --dataplane=netns",
        "sim --dataplane netns --agents remote   | invalid --agents 'remote': valid values are"
            + " in-process, process",
        "server --discovery dns                  | invalid --discovery 'dns': the valid value is"
            + " kubernetes-api",
        "sim --discovery kubernetes-api          | unknown option '--discovery'",
        "agent --discovery kubernetes-api --bind-address 10.0.0.5 --seed 10.0.0.1:25520 | --seed"
            + " and --discovery cannot be used together",
        "server --discovery kubernetes-api       | --discovery kubernetes-api needs --bind-address:"
            + " the pod's IP",
      })
  void badCommandLinesGiveOneLineAndExitTwo(String line, String expected) {
    String err = usageError(dir, CliTest.args(line));

    assertTrue(err.contains(expected), err);
  }

  @Test
  void controlCharactersNeverBreakTheLine() {
    assertEquals(
        "netsvc: invalid path 'a?b': Nul character not allowed",
        usageError(dir, "sim", "--data-dir", "a\0b"));
    assertTrue(
        usageError(dir, "server", "--servicelb-namespace", "a\nb")
            .startsWith("netsvc: invalid --servicelb-namespace 'a b'"));
  }

  @Test
  void directoryIsNotAReadableKubeconfig() {
    assertTrue(
        usageError(dir, "server", "--kubeconfig", dir.toString()).endsWith("not a readable file"));
  }

  @Test
  void nodesAndScenarioExcludeEachOther() throws Exception {
    Files.writeString(dir.resolve("s.yaml"), "nodes: [{name: a}]\n");

    assertEquals(
        "netsvc: --nodes and --scenario cannot be used together (a scenario file lists its nodes)",
        usageError(dir, "sim", "--nodes", "2", "--scenario", "s.yaml"));
  }
}
