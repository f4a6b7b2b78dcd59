package io.netsvc.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the witness reads a pod: selection, address, and only the container's current state. */
class WitnessPodTest {
  static final WitnessSelection SEL =
      new WitnessSelection(
          "netsvc-system",
          WitnessSelection.parseSelector("app.kubernetes.io/name=netsvc"),
          "netsvc",
          "remoting");

  static Pod pod(String yaml) {
    return Serialization.unmarshal(yaml, Pod.class);
  }

  static final String RESTARTED =
      """
      metadata: {namespace: netsvc-system, name: netsvc-0, uid: u0,
                 labels: {app.kubernetes.io/name: netsvc}}
      spec:
        containers:
        - {name: sidecar, image: x}
        - name: netsvc
          image: netsvc
          ports: [{name: metrics, containerPort: 7626}, {name: remoting, containerPort: 25520}]
      status:
        phase: Running
        podIP: 10.42.0.7
        containerStatuses:
        - {name: sidecar, restartCount: 0, state: {terminated: {exitCode: 1, reason: Error}}}
        - name: netsvc
          restartCount: 3
          state: {running: {startedAt: "2026-01-01T00:00:00Z"}}
          lastState: {terminated: {exitCode: 137, reason: Error}}
      """;

  @Test
  void aRestartedContainerReadsRunningAndItsLastStateIsIgnored() {
    WitnessPod p = WitnessPod.from(pod(RESTARTED), SEL);
    assertThat(p)
        .isEqualTo(
            new WitnessPod(
                "netsvc-system",
                "netsvc-0",
                "u0",
                "10.42.0.7",
                25520,
                "Running",
                "running",
                null,
                3));
    assertThat(WitnessBook.deathOf(p, false)).isEmpty();
  }

  @Test
  void aTerminatedContainerReadsWithItsReasonAndExitCode() {
    String y =
        RESTARTED.replace(
            "state: {running: {startedAt: \"2026-01-01T00:00:00Z\"}}",
            "state: {terminated: {exitCode: 137, reason: Error}}");
    WitnessPod p = WitnessPod.from(pod(y), SEL);
    assertThat(p.containerState()).isEqualTo("terminated");
    assertThat(WitnessBook.deathOf(p, false))
        .contains("container terminated: Error (exit code 137)");
  }

  @Test
  void aWaitingContainerReadsWithItsReason() {
    String y =
        RESTARTED.replace(
            "state: {running: {startedAt: \"2026-01-01T00:00:00Z\"}}",
            "state: {waiting: {reason: CrashLoopBackOff}}");
    assertThat(WitnessBook.deathOf(WitnessPod.from(pod(y), SEL), false))
        .contains("container waiting: CrashLoopBackOff");
  }

  @Test
  void podsOfOtherNamespacesOrLabelsAreNotRead() {
    assertThat(
            WitnessPod.from(
                pod(RESTARTED.replace("namespace: netsvc-system", "namespace: default")), SEL))
        .isNull();
    assertThat(WitnessPod.from(pod(RESTARTED.replace("name: netsvc}", "name: other}")), SEL))
        .isNull();
  }

  @Test
  void theOnlyContainerIsTheMembersWhateverItsNameAndNoNamedPortLeavesThePortOpen() {
    Pod p =
        pod(
            """
            metadata: {namespace: netsvc-system, name: n, uid: u, labels: {app.kubernetes.io/name: netsvc}}
            spec: {containers: [{name: server, image: x}]}
            status:
              phase: Running
              podIP: 10.42.0.8
              containerStatuses: [{name: server, restartCount: 0, state: {terminated: {exitCode: 0}}}]
            """);
    WitnessPod w = WitnessPod.from(p, SEL);
    assertThat(w.remotingPort()).isNull();
    assertThat(WitnessBook.deathOf(w, false))
        .contains("container terminated: terminated (exit code 0)");
  }

  @Test
  void aPodWithoutStatusReadsUnknown() {
    Pod p =
        pod(
            """
            metadata: {namespace: netsvc-system, name: n, uid: u, labels: {app.kubernetes.io/name: netsvc}}
            spec: {containers: [{name: netsvc, image: x}]}
            """);
    WitnessPod w = WitnessPod.from(p, SEL);
    assertThat(w.containerState()).isEqualTo("unknown");
    assertThat(w.podIP()).isNull();
  }

  @Test
  void selectorsAreEqualityBasedAndNeverEmpty() {
    assertThat(WitnessSelection.parseSelector(" a=b , c==d "))
        .isEqualTo(Map.of("a", "b", "c", "d"));
    for (String bad : new String[] {"", " , ", "a", "a!=b", "a in (b)", "=b"}) {
      assertThatThrownBy(() -> WitnessSelection.parseSelector(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
