package io.netsvc.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.cluster.model.WitnessBook.MemberView;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which members the pod witness downs, from the kubelet's reports and the cluster's members. */
class WitnessBookTest {
  static final String CONTROLLER = "controller";
  static final String SELF = "pekko://netsvc@10.42.0.1:25520#1";
  static final String M2 = "pekko://netsvc@10.42.0.2:25520#2";

  WitnessBook book;

  @BeforeEach
  void cluster() {
    book = new WitnessBook(CONTROLLER, 25520);
    book.member(member(SELF, "10.42.0.1", "Up"));
    book.member(member(M2, "10.42.0.2", "Up"));
    book.pod(running("netsvc-1", "10.42.0.1", 0), false);
    book.pod(running("netsvc-2", "10.42.0.2", 0), false);
  }

  static MemberView member(String id, String host, String status) {
    return new MemberView(id, host, 25520, Set.of(CONTROLLER), status);
  }

  static WitnessPod pod(String name, String ip, String phase, String state, String why, int n) {
    return new WitnessPod("netsvc-system", name, "uid-" + name, ip, 25520, phase, state, why, n);
  }

  static WitnessPod running(String name, String ip, int restarts) {
    return pod(name, ip, "Running", "running", null, restarts);
  }

  static WitnessPod terminated(String name, String ip, int restarts) {
    return pod(name, ip, "Running", "terminated", "Error (exit code 137)", restarts);
  }

  List<String> downed() {
    return book.toDown(SELF).stream().map(WitnessBook.Verdict::memberId).toList();
  }

  @Test
  void aRunningPodsMemberIsNotDowned() {
    assertThat(downed()).isEmpty();
  }

  @Test
  void aTerminatedContainerDownsItsMember() {
    book.pod(terminated("netsvc-2", "10.42.0.2", 0), false);
    assertThat(book.toDown(SELF))
        .containsExactly(
            new WitnessBook.Verdict(
                M2, "netsvc-system/netsvc-2", "container terminated: Error (exit code 137)"));
  }

  @Test
  void aWaitingContainerDownsItsMember() {
    book.pod(pod("netsvc-2", "10.42.0.2", "Running", "waiting", "CrashLoopBackOff", 1), false);
    assertThat(downed()).containsExactly(M2);
  }

  @Test
  void aDeletedPodDownsItsMember() {
    book.pod(running("netsvc-2", "10.42.0.2", 0), true);
    assertThat(book.toDown(SELF).get(0).reason()).isEqualTo("pod deleted");
  }

  @Test
  void aFailedOrSucceededPodDownsItsMember() {
    book.pod(pod("netsvc-2", "10.42.0.2", "Failed", "unknown", null, 0), false);
    assertThat(downed()).containsExactly(M2);
    cluster();
    book.pod(pod("netsvc-2", "10.42.0.2", "Succeeded", "unknown", null, 0), false);
    assertThat(downed()).containsExactly(M2);
  }

  @Test
  void aPodBeingDeletedWhoseContainerStillRunsIsAlive() {
    // deletionTimestamp set, SIGTERM sent: the member leaves by itself; nothing in the record
    // but the running container counts
    book.pod(running("netsvc-2", "10.42.0.2", 0), false);
    assertThat(downed()).isEmpty();
  }

  @Test
  void aContainerWithoutAStateYetSaysNothing() {
    book.pod(pod("netsvc-2", "10.42.0.2", "Pending", "unknown", null, 0), false);
    assertThat(downed()).isEmpty();
  }

  @Test
  void aRestartedContainerIsAliveWhateverItsLastState() {
    // the kubelet reports the restarted container running (its lastState terminated, not read)
    book.pod(terminated("netsvc-2", "10.42.0.2", 0), false);
    book.downed(M2);
    book.member(member(M2, "10.42.0.2", "Removed"));
    book.pod(running("netsvc-2", "10.42.0.2", 1), false);
    String m2b = "pekko://netsvc@10.42.0.2:25520#3";
    book.member(member(m2b, "10.42.0.2", "Up"));
    assertThat(downed()).isEmpty();
  }

  @Test
  void aNewIncarnationSeenBeforeItsPodsRunningUpdateIsNotDowned() {
    book.pod(terminated("netsvc-2", "10.42.0.2", 0), false);
    book.downed(M2);
    book.member(member(M2, "10.42.0.2", "Removed"));
    // the restarted container's member joins before the informer delivers "running" again
    String m2b = "pekko://netsvc@10.42.0.2:25520#3";
    book.member(member(m2b, "10.42.0.2", "Up"));
    assertThat(downed()).isEmpty();
    // the same death reported again (another field changed) is still older than the new member
    book.pod(
        pod("netsvc-2", "10.42.0.2", "Running", "terminated", "Error (exit code 1)", 0), false);
    assertThat(downed()).isEmpty();
    // its own death (restartCount 1) is newer: downed
    book.pod(running("netsvc-2", "10.42.0.2", 1), false);
    book.pod(terminated("netsvc-2", "10.42.0.2", 1), false);
    assertThat(downed()).containsExactly(m2b);
  }

  @Test
  void aReusedPodIpIsNotTakenForTheOldPodsMember() {
    book.pod(pod("netsvc-2", "10.42.0.2", "Failed", "terminated", "Evicted", 0), false);
    book.downed(M2);
    book.member(member(M2, "10.42.0.2", "Removed"));
    // a new pod got the IP; its member joined before the informer listed the pod: the Failed
    // pod's death predates that member
    String m3 = "pekko://netsvc@10.42.0.2:25520#4";
    book.member(member(m3, "10.42.0.2", "Up"));
    assertThat(downed()).isEmpty();
    // the new pod running at the address keeps it alive, even if the old one's report changes
    book.pod(running("netsvc-3", "10.42.0.2", 0), false);
    book.pod(pod("netsvc-2", "10.42.0.2", "Failed", "terminated", "Evicted", 1), false);
    assertThat(downed()).isEmpty();
    // and its own deletion is news
    book.pod(running("netsvc-3", "10.42.0.2", 0), true);
    assertThat(downed()).containsExactly(m3);
  }

  @Test
  void theRemotingPortDisambiguatesPodsSharingAnIp() {
    String a = "pekko://netsvc@127.0.0.1:4001#1";
    String b = "pekko://netsvc@127.0.0.1:4002#2";
    book.member(new MemberView(a, "127.0.0.1", 4001, Set.of(CONTROLLER), "Up"));
    book.member(new MemberView(b, "127.0.0.1", 4002, Set.of(CONTROLLER), "Up"));
    book.pod(
        new WitnessPod("ns", "a", "ua", "127.0.0.1", 4001, "Running", "running", null, 0), false);
    book.pod(
        new WitnessPod("ns", "b", "ub", "127.0.0.1", 4002, "Running", "running", null, 0), false);
    book.pod(
        new WitnessPod("ns", "b", "ub", "127.0.0.1", 4002, "Running", "terminated", "Error", 0),
        false);
    assertThat(downed()).containsExactly(b);
  }

  @Test
  void aPodWithoutANamedPortUsesTheArteryPort() {
    book.pod(
        new WitnessPod(
            "netsvc-system",
            "netsvc-2",
            "uid-netsvc-2",
            "10.42.0.2",
            null,
            "Failed",
            "unknown",
            null,
            0),
        false);
    assertThat(downed()).containsExactly(M2);
  }

  @Test
  void neverSelfNorNonControllersNorMembersAlreadyDown() {
    book.pod(terminated("netsvc-1", "10.42.0.1", 0), false);
    assertThat(downed()).as("self").isEmpty();
    String agent = "pekko://netsvc@10.42.0.5:25520#5";
    book.member(new MemberView(agent, "10.42.0.5", 25520, Set.of("node"), "Up"));
    book.pod(terminated("netsvc-5", "10.42.0.5", 0), false);
    assertThat(downed()).as("an agent member").isEmpty();
    book.member(member(M2, "10.42.0.2", "Down"));
    book.pod(terminated("netsvc-2", "10.42.0.2", 0), false);
    assertThat(downed()).as("already Down").isEmpty();
  }

  @Test
  void eachMemberIsDownedOnce() {
    book.pod(terminated("netsvc-2", "10.42.0.2", 0), false);
    assertThat(downed()).containsExactly(M2);
    book.downed(M2);
    book.pod(pod("netsvc-2", "10.42.0.2", "Failed", "terminated", "Error", 0), false);
    assertThat(downed()).isEmpty();
  }

  @Test
  void aPodWithoutAnIpSaysNothing() {
    book.pod(pod("netsvc-2", null, "Failed", "terminated", "Error", 0), false);
    assertThat(downed()).isEmpty();
  }

  @Test
  void ipv6AddressesMatchWithOrWithoutBrackets() {
    String v6 = "pekko://netsvc@[fd00::2]:25520#6";
    book.member(new MemberView(v6, "[FD00::2]", 25520, Set.of(CONTROLLER), "Up"));
    book.pod(terminated("netsvc-6", "fd00::2", 0), false);
    assertThat(downed()).containsExactly(v6);
  }
}
