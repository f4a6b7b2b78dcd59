package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.servicelb.model.PortLedger.Conflict;
import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.Holder;
import io.netsvc.actors.servicelb.model.PortLedger.Kind;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The ledger's answer depends on the claims, never on the order they arrived in. */
class PortLedgerOrderTest {
  record Claim(String key, String ts, Set<PortKey> ports) {}

  static final PortKey P80 = new PortKey(80, "TCP");
  static final PortKey P443 = new PortKey(443, "TCP");
  static final PortKey P53 = new PortKey(53, "UDP");

  static Map<String, Boolean> outcome(List<Claim> claims) {
    PortLedger l = new PortLedger();
    l.podPorts("kube-system/dns", Set.of(P53));
    for (Claim c : claims) l.claim(c.key(), c.ts(), c.ports());
    Map<String, Boolean> out = new TreeMap<>();
    for (Claim c : claims) out.put(c.key(), l.decision(c.key()).orElseThrow().granted());
    return out;
  }

  @Test
  void anyArrivalOrderGivesTheSameGrants() {
    List<Claim> claims =
        new ArrayList<>(
            List.of(
                new Claim("default/old-web", "2026-01-01T00:00:01Z", Set.of(P80, P443)),
                new Claim("default/new-web", "2026-01-01T00:00:02Z", Set.of(P80)),
                new Claim("default/tls", "2026-01-01T00:00:03Z", Set.of(P443)),
                new Claim("default/dns", "2026-01-01T00:00:00Z", Set.of(P53)),
                new Claim(
                    "default/other", "2026-01-01T00:00:04Z", Set.of(new PortKey(8080, "TCP")))));
    Map<String, Boolean> expected =
        Map.of(
            "default/old-web",
            true,
            "default/new-web",
            false,
            "default/tls",
            false,
            "default/dns",
            false,
            "default/other",
            true);
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(claims, random);
      assertThat(outcome(claims)).isEqualTo(expected);
    }
  }

  /** One input to a ledger: a claim or a pod's ports, each with a distinct key. */
  record Op(String name, Consumer<PortLedger> apply) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Op claim(String key, String ts, PortKey... ports) {
    return new Op(key, l -> l.claim(key, ts, Set.of(ports)));
  }

  static Op pod(String key, PortKey... ports) {
    return new Op(key, l -> l.podPorts(key, Set.of(ports)));
  }

  /** Everything a NodeActor would tell anyone: holders and every claimant's decision. */
  record Snapshot(Map<PortKey, Holder> holders, Map<String, Decision> decisions) {
    static Snapshot of(PortLedger l) {
      Map<String, Decision> d = new TreeMap<>();
      for (String k : l.claimants()) d.put(k, l.decision(k).orElseThrow());
      return new Snapshot(l.holders(), d);
    }
  }

  static void permute(List<Op> ops, int k, Consumer<List<Op>> out) {
    if (k == ops.size()) {
      out.accept(List.copyOf(ops));
      return;
    }
    for (int i = k; i < ops.size(); i++) {
      Collections.swap(ops, k, i);
      permute(ops, k + 1, out);
      Collections.swap(ops, k, i);
    }
  }

  static final PortKey P8080 = new PortKey(8080, "TCP");
  static final String T0 = "2026-01-01T00:00:00Z";
  static final String T1 = "2026-01-01T00:00:01Z";
  static final String T2 = "2026-01-01T00:00:02Z";

  /**
   * Property: every one of the 7! arrival orders of the same claims and pods gives the same holders
   * and the same decisions, conflicts included; so do releases in either order afterwards.
   */
  @Test
  void everyArrivalOrderReachesIdenticalHoldersAndDecisions() {
    List<Op> ops =
        new ArrayList<>(
            List.of(
                claim("ns/a", T1, P80, P443),
                claim("ns/b", T2, P80),
                claim("ns/c", T2, P443, P8080), // same timestamp as b: the key breaks the tie
                claim("ns/d", T0, P53),
                claim("ns/e", T1, P8080),
                pod("ns/dns-pod", P53),
                pod("ns/proxy-pod", P8080)));
    Set<Snapshot> seen = new HashSet<>();
    Set<Snapshot> afterReleases = new HashSet<>();
    int[] orders = {0};
    permute(
        ops,
        0,
        order -> {
          orders[0]++;
          PortLedger l = new PortLedger();
          order.forEach(op -> op.apply().accept(l));
          seen.add(Snapshot.of(l));
          boolean aFirst = orders[0] % 2 == 0;
          l.release(aFirst ? "ns/a" : "ns/d");
          l.release(aFirst ? "ns/d" : "ns/a");
          afterReleases.add(Snapshot.of(l));
        });
    assertThat(orders[0]).isEqualTo(5040);
    assertThat(seen).hasSize(1);
    assertThat(afterReleases).hasSize(1);

    Holder a = new Holder(Kind.SERVICE, "ns/a", T1);
    Holder b = new Holder(Kind.SERVICE, "ns/b", T2);
    Holder dnsPod = new Holder(Kind.POD, "ns/dns-pod", null);
    Holder proxyPod = new Holder(Kind.POD, "ns/proxy-pod", null);
    Snapshot s = seen.iterator().next();
    assertThat(s.holders()).isEqualTo(Map.of(P53, dnsPod, P80, a, P443, a, P8080, proxyPod));
    assertThat(s.decisions())
        .isEqualTo(
            Map.of(
                "ns/a", new Decision("ns/a", true, List.of()),
                "ns/b", new Decision("ns/b", false, List.of(new Conflict(P80, a))),
                "ns/c",
                    new Decision(
                        "ns/c",
                        false,
                        List.of(new Conflict(P443, a), new Conflict(P8080, proxyPod))),
                "ns/d", new Decision("ns/d", false, List.of(new Conflict(P53, dnsPod))),
                "ns/e", new Decision("ns/e", false, List.of(new Conflict(P8080, proxyPod)))));
    // without a: b gets 80 back; c still waits for the proxy pod's 8080 and holds nothing
    Snapshot r = afterReleases.iterator().next();
    assertThat(r.holders()).isEqualTo(Map.of(P53, dnsPod, P80, b, P8080, proxyPod));
    assertThat(r.decisions().keySet()).containsExactly("ns/b", "ns/c", "ns/e");
    assertThat(r.decisions().get("ns/c").conflicts())
        .containsExactly(new Conflict(P8080, proxyPod));
  }

  @Test
  void refusalNamesTheHolderAndReleaseReoffersThePort() {
    PortLedger l = new PortLedger();
    l.claim("default/a", "2026-01-01T00:00:01Z", Set.of(P80, P443));
    List<Decision> d = l.claim("default/b", "2026-01-01T00:00:02Z", Set.of(P443));
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.granted()).isFalse();
              assertThat(x.conflicts())
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.port()).hasToString("443/TCP");
                        assertThat(c.holder().key()).isEqualTo("default/a");
                        assertThat(c.holder().kind()).isEqualTo(Kind.SERVICE);
                      });
            });
    assertThat(l.release("default/a"))
        .extracting(Decision::serviceKey, Decision::granted)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default/b", true));
    assertThat(l.holders()).containsOnlyKeys(P443);
  }

  @Test
  void aPodThatAppearsTakesThePortFromAGrantedService() {
    PortLedger l = new PortLedger();
    l.claim("default/a", "2026-01-01T00:00:01Z", Set.of(P80));
    List<Decision> d = l.podPorts("default/hostport-pod", Set.of(P80));
    assertThat(d).singleElement().satisfies(x -> assertThat(x.granted()).isFalse());
    assertThat(l.holders().get(P80).kind()).isEqualTo(Kind.POD);
    assertThat(l.podPorts("default/hostport-pod", Set.of()))
        .singleElement()
        .satisfies(x -> assertThat(x.granted()).isTrue());
  }

  /**
   * Many claimants per port: each port goes to its oldest claimant, and when holders leave it
   * passes to the oldest of those that remain (the key breaks a tie), never to a newer one.
   */
  @Test
  void fiveThousandClaimsAndReleasesKeepTheOldestClaimantOnEveryPort() {
    PortLedger l = new PortLedger();
    Map<String, String> timestamps = new TreeMap<>();
    // five Services per port, arriving out of creation order
    for (int i = 0; i < 5000; i++) {
      String ts = String.format("2026-01-01T%02d:%02d:%02dZ", (i * 7) % 24, (i * 13) % 60, i % 60);
      timestamps.put("ns/s" + i, ts);
      l.claim("ns/s" + i, ts, Set.of(new PortKey(10000 + i % 1000, "TCP")));
    }
    assertThat(l.claimants()).hasSize(5000);
    assertThat(l.holders()).hasSize(1000);
    assertThat(l.holders())
        .allSatisfy((port, h) -> assertThat(h).isEqualTo(oldest(port, timestamps)));
    // three of the five claimants of every port leave; each port passes to a remaining one
    for (int i = 0; i < 5000; i++) {
      if ((i / 1000) % 2 == 0) {
        l.release("ns/s" + i);
        timestamps.remove("ns/s" + i);
      }
    }
    assertThat(l.claimants()).hasSize(2000);
    assertThat(l.holders()).hasSize(1000);
    assertThat(l.holders())
        .allSatisfy((port, h) -> assertThat(h).isEqualTo(oldest(port, timestamps)));
    assertThat(l.holders().values())
        .allSatisfy(h -> assertThat(Integer.parseInt(h.key().substring(4)) / 1000 % 2).isOne());
  }

  /** The claimant of {@code port} (service i claims port 10000 + i % 1000) created first. */
  private static Holder oldest(PortKey port, Map<String, String> timestamps) {
    String key =
        timestamps.keySet().stream()
            .filter(k -> 10000 + Integer.parseInt(k.substring(4)) % 1000 == port.port())
            .min(
                java.util.Comparator.comparing((String k) -> timestamps.get(k))
                    .thenComparing(k -> k))
            .orElseThrow();
    return new Holder(Kind.SERVICE, key, timestamps.get(key));
  }
}
