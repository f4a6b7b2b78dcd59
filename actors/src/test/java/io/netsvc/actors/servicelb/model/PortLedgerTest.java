package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.netsvc.actors.servicelb.model.PortLedger.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.Holder;
import io.netsvc.actors.servicelb.model.PortLedger.Kind;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ledger scenarios, and the incremental ledger against a from-scratch evaluation of the rule. */
class PortLedgerTest {
  static final PortKey P80 = new PortKey(80, "TCP");
  static final PortKey P443 = new PortKey(443, "TCP");
  static final PortKey U53 = new PortKey(53, "UDP");
  static final String T1 = "2026-01-01T00:00:01Z";
  static final String T2 = "2026-01-01T00:00:02Z";
  static final String T3 = "2026-01-01T00:00:03Z";

  @Test
  void portKeyPrintsLikeKubectl() {
    assertThat(P80).hasToString("80/TCP");
    assertThat(U53).hasToString("53/UDP");
  }

  @Test
  void sameNumberDifferentProtocolDoesNotConflict() {
    PortLedger l = new PortLedger();
    l.claim("ns/tcp", T1, Set.of(new PortKey(53, "TCP")));
    assertThat(l.claim("ns/udp", T2, Set.of(U53)))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/udp", true));
  }

  @Test
  void allOrNothingARefusedServiceHoldsNoneOfItsPorts() {
    PortLedger l = new PortLedger();
    l.claim("ns/a", T1, Set.of(P80));
    Decision b = l.claim("ns/b", T2, Set.of(P80, P443)).get(0);
    assertThat(b.granted()).isFalse();
    assertThat(b.conflicts())
        .containsExactly(new Conflict(P80, new Holder(Kind.SERVICE, "ns/a", T1)));
    assertThat(l.holders()).containsOnlyKeys(P80);
    // so a third Service can take 443
    assertThat(l.claim("ns/c", T3, Set.of(P443)).get(0).granted()).isTrue();
  }

  @Test
  void anOlderServiceArrivingLateWaitsBehindTheHolderAndGetsThePortWhenItLeaves() {
    PortLedger l = new PortLedger();
    l.claim("ns/young", T2, Set.of(P80));
    // the younger Service serves: the older one that moves to this node waits, and hears why
    assertThat(l.claim("ns/old", T1, Set.of(P80)))
        .containsExactly(
            new Decision(
                "ns/old",
                false,
                List.of(new Conflict(P80, new Holder(Kind.SERVICE, "ns/young", T2)))));
    assertThat(l.decision("ns/young").orElseThrow().granted()).isTrue();
    assertThat(l.holders().get(P80).key()).isEqualTo("ns/young");
    assertThat(l.release("ns/young"))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/old", true));
  }

  @Test
  void aHolderThatAddsAPortKeepsItsPortsOnlyIfTheNewOneIsFree() {
    PortLedger l = new PortLedger();
    l.claim("ns/web", T2, Set.of(P80));
    l.claim("ns/old", T1, Set.of(P80)); // waits behind web
    l.claim("ns/tls", T3, Set.of(P443));
    // web also wants 443, which tls holds: web is refused and the oldest waiter gets 80
    assertThat(l.claim("ns/web", T2, Set.of(P80, P443)))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/old", true), tuple("ns/web", false));
    assertThat(l.decision("ns/web").orElseThrow().conflicts())
        .extracting(c -> c.holder().key())
        .containsExactly("ns/old", "ns/tls");
    // old asks for 8080 too, which is free: it keeps 80
    assertThat(l.claim("ns/old", T1, Set.of(P80, new PortKey(8080, "TCP"))))
        .extracting(Decision::serviceKey, Decision::granted)
        .isEmpty();
    assertThat(l.holders().get(P80).key()).isEqualTo("ns/old");
  }

  @Test
  void aDeployedServiceHoldsItsPortsAgainstAnOlderServiceThatClaimedFirst() {
    PortLedger l = new PortLedger();
    // after a restart the older Service's claim arrives before the recovered holder
    l.claim("ns/old", T1, Set.of(P80));
    assertThat(l.hold("ns/young", T2, Set.of(P80)))
        .containsExactly(
            new Decision("ns/young", true, List.of()),
            new Decision(
                "ns/old",
                false,
                List.of(new Conflict(P80, new Holder(Kind.SERVICE, "ns/young", T2)))));
    // its ServiceActor claims the same ports again: nothing changes
    assertThat(l.claim("ns/young", T2, Set.of(P80))).isEmpty();
    assertThat(l.decision("ns/young").orElseThrow().granted()).isTrue();
  }

  @Test
  void twoDeployedHoldersOfOnePortGoByCreationTimeAndTheYoungerIsTold() {
    for (boolean olderFirst : new boolean[] {true, false}) {
      PortLedger l = new PortLedger();
      List<Decision> changed = new ArrayList<>();
      if (olderFirst) changed.addAll(l.hold("ns/a", T1, Set.of(P80)));
      changed.addAll(l.hold("ns/b", T2, Set.of(P80, P443)));
      if (!olderFirst) changed.addAll(l.hold("ns/a", T1, Set.of(P80)));
      Decision told = changed.get(changed.size() - 1);
      assertThat(told)
          .isEqualTo(
              new Decision(
                  "ns/b", false, List.of(new Conflict(P80, new Holder(Kind.SERVICE, "ns/a", T1)))));
      assertThat(l.holders()).containsOnlyKeys(P80);
      assertThat(l.holders().get(P80).key()).isEqualTo("ns/a");
    }
  }

  @Test
  void aPodBeatsADeployedService() {
    PortLedger l = new PortLedger();
    l.podPorts("ns/hostport-pod", Set.of(P80));
    assertThat(l.hold("ns/a", T1, Set.of(P80, P443)))
        .containsExactly(
            new Decision(
                "ns/a",
                false,
                List.of(new Conflict(P80, new Holder(Kind.POD, "ns/hostport-pod", null)))));
    assertThat(l.holders()).containsOnlyKeys(P80);
  }

  @Test
  void releasePassesThePortToTheNextInLineOnly() {
    PortLedger l = new PortLedger();
    l.claim("ns/a", T1, Set.of(P80));
    l.claim("ns/b", T2, Set.of(P80));
    l.claim("ns/c", T3, Set.of(P80));
    assertThat(l.release("ns/a"))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/b", true), tuple("ns/c", false));
    assertThat(l.decision("ns/c").orElseThrow().conflicts())
        .extracting(c -> c.holder().key())
        .containsExactly("ns/b");
    assertThat(l.decision("ns/a")).isEmpty();
    assertThat(l.claimants()).containsExactly("ns/b", "ns/c");
    // releasing a refused Service changes nobody
    assertThat(l.release("ns/c")).isEmpty();
    assertThat(l.release("ns/unknown")).isEmpty();
  }

  @Test
  void aPodHoldsItsPortBeforeAnyServiceAndGivesItBackWhenGone() {
    PortLedger l = new PortLedger();
    l.podPorts("ns/hostport-pod", Set.of(P80));
    Decision d = l.claim("ns/a", T1, Set.of(P80)).get(0);
    assertThat(d.granted()).isFalse();
    assertThat(d.conflicts())
        .containsExactly(new Conflict(P80, new Holder(Kind.POD, "ns/hostport-pod", null)));
    assertThat(l.holders()).containsEntry(P80, new Holder(Kind.POD, "ns/hostport-pod", null));
    assertThat(l.podPorts("ns/hostport-pod", Set.of()))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/a", true));
  }

  @Test
  void aPodOnOneOfTwoPortsRefusesTheWholeServiceWhichThenHoldsNeither() {
    PortLedger l = new PortLedger();
    l.podPorts("ns/tls-pod", Set.of(P443));
    Decision a = l.claim("ns/a", T1, Set.of(P80, P443)).get(0);
    assertThat(a.granted()).isFalse();
    assertThat(a.conflicts())
        .containsExactly(new Conflict(P443, new Holder(Kind.POD, "ns/tls-pod", null)));
    assertThat(l.holders()).containsOnlyKeys(P443);
    // 80 stayed free, so a younger Service gets it, and the older one hears it waits for it too
    assertThat(l.claim("ns/b", T2, Set.of(P80)))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/b", true), tuple("ns/a", false));
    assertThat(l.decision("ns/a").orElseThrow().conflicts())
        .extracting(c -> c.holder().key())
        .containsExactly("ns/b", "ns/tls-pod");
    // the pod leaves: the older Service still waits, now for the younger one that holds 80
    assertThat(l.podPorts("ns/tls-pod", Set.of()))
        .containsExactly(
            new Decision(
                "ns/a", false, List.of(new Conflict(P80, new Holder(Kind.SERVICE, "ns/b", T2)))));
    assertThat(l.holders().values()).extracting(Holder::key).containsOnly("ns/b");
    assertThat(l.release("ns/b"))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/a", true));
  }

  @Test
  void conflictsNameEveryHolderInPortOrder() {
    PortLedger l = new PortLedger();
    l.claim("ns/web", T1, Set.of(P443));
    l.podPorts("ns/dns-pod", Set.of(U53));
    Decision d = l.claim("ns/all", T2, Set.of(P443, P80, U53)).get(0);
    assertThat(d.conflicts())
        .containsExactly(
            new Conflict(U53, new Holder(Kind.POD, "ns/dns-pod", null)),
            new Conflict(P443, new Holder(Kind.SERVICE, "ns/web", T1)));
    assertThat(l.holders()).doesNotContainKey(P80);
  }

  @Test
  void twoPodsOnOnePortKeepItUntilTheLastOneLeaves() {
    PortLedger l = new PortLedger();
    l.podPorts("ns/p2", Set.of(P80));
    l.podPorts("ns/p1", Set.of(P80));
    l.claim("ns/a", T1, Set.of(P80));
    assertThat(l.holders().get(P80)).isEqualTo(new Holder(Kind.POD, "ns/p1", null));
    assertThat(l.podPorts("ns/p1", Set.of()))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.conflicts())
                    .containsExactly(new Conflict(P80, new Holder(Kind.POD, "ns/p2", null))));
    assertThat(l.decision("ns/a").orElseThrow().granted()).isFalse();
    assertThat(l.podPorts("ns/p2", Set.of()))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/a", true));
  }

  @Test
  void unchangedInputsReportNothing() {
    PortLedger l = new PortLedger();
    l.claim("ns/a", T1, Set.of(P80));
    assertThat(l.claim("ns/a", T1, Set.of(P80))).isEmpty();
    l.podPorts("ns/p", Set.of(P443));
    assertThat(l.podPorts("ns/p", Set.of(P443))).isEmpty();
    assertThat(l.podPorts("ns/never-seen", Set.of())).isEmpty();
  }

  @Test
  void replacingAClaimWithOtherPortsFreesTheOldOnes() {
    PortLedger l = new PortLedger();
    l.claim("ns/a", T1, Set.of(P80));
    l.claim("ns/b", T2, Set.of(P80));
    assertThat(l.claim("ns/a", T1, Set.of(P443)))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/b", true));
    assertThat(l.holders().get(P80).key()).isEqualTo("ns/b");
    assertThat(l.holders().get(P443).key()).isEqualTo("ns/a");
  }

  @Test
  void aReleaseNeverPassesAPortThatAnotherHolderStillBlocks() {
    // a holds 80; b wants 80+443 (refused); c holds 443. Releasing a does not let b take 443 from
    // c.
    PortLedger l = new PortLedger();
    l.claim("ns/a", T1, Set.of(P80));
    l.claim("ns/b", T2, Set.of(P80, P443));
    l.claim("ns/c", T3, Set.of(P443));
    assertThat(l.decision("ns/b").orElseThrow().conflicts())
        .extracting(c -> c.holder().key())
        .containsExactly("ns/a", "ns/c");
    assertThat(l.release("ns/a"))
        .containsExactly(
            new Decision(
                "ns/b", false, List.of(new Conflict(P443, new Holder(Kind.SERVICE, "ns/c", T3)))));
    assertThat(l.holders()).containsOnlyKeys(P443);
    assertThat(l.release("ns/c"))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/b", true));
  }

  /** Random operations; after each, the ledger must equal the rule evaluated from scratch. */
  @Test
  void incrementalAnswersEqualTheRuleRecomputedFromScratch() {
    Random r = new Random(1234);
    List<PortKey> universe =
        List.of(
            P80,
            P443,
            U53,
            new PortKey(8080, "TCP"),
            new PortKey(53, "TCP"),
            new PortKey(9000, "SCTP"));
    for (int round = 0; round < 300; round++) {
      PortLedger l = new PortLedger();
      LedgerReference ref = new LedgerReference();
      for (int step = 0; step < 60; step++) {
        int op = r.nextInt(12);
        List<Decision> changed;
        List<Decision> expected;
        String key = "ns/s" + r.nextInt(12);
        // a Service keeps its creation time; a few share one, so the key breaks ties
        String ts = "2026-01-01T00:00:0" + Math.floorMod(key.hashCode(), 4) + "Z";
        if (op < 6) {
          Set<PortKey> ports = randomPorts(r, universe, 1 + r.nextInt(3));
          changed = l.claim(key, ts, ports);
          expected = ref.claim(key, ts, ports);
        } else if (op < 7) {
          Set<PortKey> ports = randomPorts(r, universe, 1 + r.nextInt(3));
          changed = l.hold(key, ts, ports);
          expected = ref.hold(key, ts, ports);
        } else if (op < 9) {
          changed = l.release(key);
          expected = ref.release(key);
          assertThat(l.decision(key)).isEmpty();
        } else {
          String pod = "ns/p" + r.nextInt(3);
          Set<PortKey> ports = randomPorts(r, universe, r.nextInt(3));
          changed = l.podPorts(pod, ports);
          expected = ref.podPorts(pod, ports);
        }
        Map<String, Decision> now = new HashMap<>();
        for (String k : l.claimants()) now.put(k, l.decision(k).orElseThrow());
        assertThat(now).as("round %d step %d", round, step).isEqualTo(ref.decisions);
        assertThat(l.holders()).as("round %d step %d", round, step).isEqualTo(ref.holders);
        // the counts a node reports after every claim, kept without building the holder map
        int pods = (int) ref.holders.values().stream().filter(h -> h.kind() == Kind.POD).count();
        assertThat(l.podHeldPorts()).as("pod ports, round %d step %d", round, step).isEqualTo(pods);
        assertThat(l.serviceHeldPorts())
            .as("Service ports, round %d step %d", round, step)
            .isEqualTo(ref.holders.size() - pods);
        assertThat(changed).as("round %d step %d changes", round, step).isEqualTo(expected);
      }
    }
  }

  static Set<PortKey> randomPorts(Random r, List<PortKey> universe, int n) {
    Set<PortKey> out = new HashSet<>();
    for (int i = 0; i < n; i++) out.add(universe.get(r.nextInt(universe.size())));
    return out;
  }
}
