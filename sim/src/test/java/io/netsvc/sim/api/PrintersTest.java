package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table cells as kubectl shows them for a real API server. */
class PrintersTest {
  private static final Instant NOW = Instant.parse("2025-01-01T01:00:00Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      LB without ingress     | LoadBalancer | {}                                                        | []            | <pending>
      LB with ingress        | LoadBalancer | {'loadBalancer':{'ingress':[{'ip':'10.0.0.2'},{'ip':'10.0.0.1'}]}} | [] | 10.0.0.1,10.0.0.2
      LB hostname + external | LoadBalancer | {'loadBalancer':{'ingress':[{'hostname':'lb.example'}]}} | ['1.2.3.4']   | lb.example,1.2.3.4
      ClusterIP              | ClusterIP    | {}                                                        | []            | <none>
      NodePort with external | NodePort     | {}                                                        | ['1.2.3.4']   | 1.2.3.4
      """)
  void serviceExternalIp(
      String name, String type, String status, String externalIps, String expected) {
    JsonNode svc =
        json(
            "{'spec':{'type':'"
                + type
                + "','externalIPs':"
                + externalIps
                + "},'status':"
                + status
                + "}");
    assertThat(ServicePrinter.externalIp(svc, type)).isEqualTo(expected);
  }

  @Test
  void servicePortsShowNodePortsAndDefaultProtocol() {
    assertThat(
            ServicePrinter.ports(
                json(
                    "[{'port':80,'nodePort':31234,'protocol':'TCP'},{'port':53,'protocol':'UDP'},{'port':8080}]")))
        .isEqualTo("80:31234/TCP,53/UDP,8080/TCP");
  }

  @Test
  void podRowShowsReadinessRestartsAndPlacement() {
    JsonNode pod =
        json(
            """
        {'metadata':{'name':'svclb-web-1','creationTimestamp':'2025-01-01T00:55:00Z'},
         'spec':{'nodeName':'node-1','containers':[{'name':'a'},{'name':'b'}]},
         'status':{'phase':'Running','podIP':'10.42.0.5','containerStatuses':[
           {'name':'a','ready':true,'restartCount':0,'state':{'running':{}}},
           {'name':'b','ready':false,'restartCount':2,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}}""");
    assertThat(NodePodPrinter.pod(pod, NOW))
        .containsExactly(
            "svclb-web-1",
            "1/2",
            "CrashLoopBackOff",
            "2",
            "5m",
            "10.42.0.5",
            "node-1",
            "<none>",
            "<none>");
  }

  @Test
  void pendingPodWithoutStatus() {
    JsonNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a'}]}}");
    assertThat(NodePodPrinter.pod(pod, NOW).subList(1, 3)).isEqualTo(List.of("0/1", "Pending"));
  }

  @Test
  void nodeRowShowsReadyRolesAndAddresses() {
    JsonNode node =
        json(
            """
        {'metadata':{'name':'n1','labels':{'node-role.kubernetes.io/control-plane':'true'}},
         'spec':{'unschedulable':true},
         'status':{'conditions':[{'type':'Ready','status':'False'}],
           'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'ExternalIP','address':'1.2.3.4'}],
           'nodeInfo':{'kubeletVersion':'v1.32.0'}}}""");
    assertThat(NodePodPrinter.node(node, NOW))
        .containsExactly(
            "n1",
            "NotReady,SchedulingDisabled",
            "control-plane",
            "<unknown>",
            "v1.32.0",
            "10.0.0.1",
            "1.2.3.4",
            "<unknown>",
            "<unknown>",
            "<unknown>");
  }

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
    "0,0s",
    "119,119s",
    "120,2m",
    "330,5m30s",
    "3600,60m",
    "11000,3h3m",
    "36000,10h",
    "200000,2d7h",
    "864000,10d",
    "63072000,2y",
    "-5,<invalid>"
  })
  void humanDuration(long seconds, String expected) {
    assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }
}
