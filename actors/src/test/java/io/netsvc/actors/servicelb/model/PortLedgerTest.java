package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.netsvc.actors.servicelb.model.PortLedger.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.Holder;
import io.netsvc.actors.servicelb.model.PortLedger.Kind;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
  void anOlderServiceArrivingLateTakesThePortAndTheYoungerOneHearsWhy() {
    PortLedger l = new PortLedger();
    l.claim("ns/young", T2, Set.of(P80));
    List<Decision> changed = l.claim("ns/old", T1, Set.of(P80));
    assertThat(changed)
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/old", true), tuple("ns/young", false));
    assertThat(l.decision("ns/young").orElseThrow().conflicts())
        .extracting(c -> c.holder().key())
        .containsExactly("ns/old");
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
    // 80 stayed free, so a younger Service gets it
    assertThat(l.claim("ns/b", T2, Set.of(P80)))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/b", true));
    // the pod leaves: the older Service now gets both ports and takes 80 back from the younger
    assertThat(l.podPorts("ns/tls-pod", Set.of()))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/a", true), tuple("ns/b", false));
    assertThat(l.decision("ns/b").orElseThrow().conflicts())
        .containsExactly(new Conflict(P80, new Holder(Kind.SERVICE, "ns/a", T1)));
    assertThat(l.holders().values()).extracting(Holder::key).containsOnly("ns/a");
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
  void aChainReactionFollowsOneRelease() {
    // a holds 80; b wants 80+443 (refused); c holds 443. Releasing a lets b in, which pushes c out.
    PortLedger l = new PortLedger();
    l.claim("ns/a", T1, Set.of(P80));
    l.claim("ns/b", T2, Set.of(P80, P443));
    l.claim("ns/c", T3, Set.of(P443));
    assertThat(l.release("ns/a"))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(tuple("ns/b", true), tuple("ns/c", false));
    assertThat(l.holders())
        .containsOnlyKeys(P80, P443)
        .allSatisfy((p, h) -> assertThat(h.key()).isEqualTo("ns/b"));
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
    for (int round = 0; round < 200; round++) {
      PortLedger l = new PortLedger();
      Map<String, String[]> claims = new HashMap<>(); // key -> {ts}
      Map<String, Set<PortKey>> claimPorts = new HashMap<>();
      Map<String, Set<PortKey>> pods = new HashMap<>();
      Map<String, Decision> before = Map.of();
      for (int step = 0; step < 60; step++) {
        int op = r.nextInt(10);
        List<Decision> changed;
        String released = null;
        if (op < 6) {
          String key = "ns/s" + r.nextInt(12);
          String ts = "2026-01-01T00:00:0" + r.nextInt(4) + "Z";
          Set<PortKey> ports = randomPorts(r, universe, 1 + r.nextInt(3));
          claims.put(key, new String[] {ts});
          claimPorts.put(key, ports);
          changed = l.claim(key, ts, ports);
        } else if (op < 8) {
          released = "ns/s" + r.nextInt(12);
          claims.remove(released);
          claimPorts.remove(released);
          changed = l.release(released);
        } else {
          String pod = "ns/p" + r.nextInt(3);
          Set<PortKey> ports = randomPorts(r, universe, r.nextInt(3));
          if (ports.isEmpty()) pods.remove(pod);
          else pods.put(pod, ports);
          changed = l.podPorts(pod, ports);
        }
        Reference ref = Reference.of(claims, claimPorts, pods);
        Map<String, Decision> now = new HashMap<>();
        for (String k : claims.keySet()) now.put(k, l.decision(k).orElseThrow());
        assertThat(now).as("round %d step %d", round, step).isEqualTo(ref.decisions);
        assertThat(l.holders()).isEqualTo(ref.holders);
        assertThat(l.claimants()).isEqualTo(new TreeSet<>(claims.keySet()));
        List<Decision> expectedChanges = new ArrayList<>();
        for (String k : ref.order) {
          if (!ref.decisions.get(k).equals(before.get(k)))
            expectedChanges.add(ref.decisions.get(k));
        }
        assertThat(changed).as("round %d step %d changes", round, step).isEqualTo(expectedChanges);
        assertThat(released == null || l.decision(released).isEmpty()).isTrue();
        before = now;
      }
    }
  }

  static Set<PortKey> randomPorts(Random r, List<PortKey> universe, int n) {
    Set<PortKey> out = new HashSet<>();
    for (int i = 0; i < n; i++) out.add(universe.get(r.nextInt(universe.size())));
    return out;
  }

  /** The rule of PortLedger's javadoc, evaluated naively. */
  record Reference(
      Map<String, Decision> decisions, Map<PortKey, Holder> holders, List<String> order) {
    static Reference of(
        Map<String, String[]> claims,
        Map<String, Set<PortKey>> claimPorts,
        Map<String, Set<PortKey>> pods) {
      Map<PortKey, Holder> holders = new TreeMap<>();
      new TreeMap<>(pods)
          .forEach(
              (pod, ports) ->
                  ports.forEach(p -> holders.putIfAbsent(p, new Holder(Kind.POD, pod, null))));
      List<String> order = new ArrayList<>(claims.keySet());
      order.sort(Comparator.comparing((String k) -> claims.get(k)[0]).thenComparing(k -> k));
      Map<String, Decision> decisions = new HashMap<>();
      for (String k : order) {
        List<Conflict> conflicts = new ArrayList<>();
        for (PortKey p : new TreeSet<>(claimPorts.get(k))) {
          if (holders.containsKey(p)) conflicts.add(new Conflict(p, holders.get(p)));
        }
        if (conflicts.isEmpty()) {
          for (PortKey p : claimPorts.get(k))
            holders.put(p, new Holder(Kind.SERVICE, k, claims.get(k)[0]));
        }
        decisions.put(k, new Decision(k, conflicts.isEmpty(), conflicts));
      }
      return new Reference(decisions, holders, order);
    }
  }
}
