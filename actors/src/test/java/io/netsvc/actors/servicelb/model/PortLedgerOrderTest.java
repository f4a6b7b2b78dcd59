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

/**
 * A ledger rebuilt from what is deployed, the pods and the re-sent claims reaches the same grants
 * whatever order they arrive in, and the grants the ledger had before it was rebuilt.
 */
class PortLedgerOrderTest {
  record Claim(String key, String ts, Set<PortKey> ports) {}

  static final PortKey P80 = new PortKey(80, "TCP");
  static final PortKey P443 = new PortKey(443, "TCP");
  static final PortKey P53 = new PortKey(53, "UDP");

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

  static Op hold(String key, String ts, PortKey... ports) {
    return new Op("hold " + key, l -> l.hold(key, ts, Set.of(ports)));
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
  static final PortKey P9000 = new PortKey(9000, "TCP");
  static final String T0 = "2026-01-01T00:00:00Z";
  static final String T1 = "2026-01-01T00:00:01Z";
  static final String T2 = "2026-01-01T00:00:02Z";

  /**
   * Property: every one of the 7! arrival orders of the same deployed holders, claims and pods
   * gives the same holders and decisions, conflicts included: older Services that claim before the
   * holders are recovered still end up waiting behind them. So do releases in either order after.
   */
  @Test
  void everyArrivalOrderReachesIdenticalHoldersAndDecisions() {
    List<Op> ops =
        new ArrayList<>(
            List.of(
                hold("ns/a", T1, P80, P443),
                claim("ns/a", T1, P80, P443), // a's ServiceActor claims again
                claim("ns/b", T0, P80), // older than a, waits
                claim("ns/c", T2, P443, P9000),
                hold("ns/d", T2, P9000),
                claim("ns/e", T0, P53),
                pod("ns/dns-pod", P53)));
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
    Holder d = new Holder(Kind.SERVICE, "ns/d", T2);
    Holder dnsPod = new Holder(Kind.POD, "ns/dns-pod", null);
    Snapshot s = seen.iterator().next();
    assertThat(s.holders()).isEqualTo(Map.of(P53, dnsPod, P80, a, P443, a, P9000, d));
    assertThat(s.decisions())
        .isEqualTo(
            Map.of(
                "ns/a", new Decision("ns/a", true, List.of()),
                "ns/b", new Decision("ns/b", false, List.of(new Conflict(P80, a))),
                "ns/c",
                    new Decision(
                        "ns/c", false, List.of(new Conflict(P443, a), new Conflict(P9000, d))),
                "ns/d", new Decision("ns/d", true, List.of()),
                "ns/e", new Decision("ns/e", false, List.of(new Conflict(P53, dnsPod)))));
    // without the holders, the waiting Services get their ports; e still waits for the pod
    Snapshot r = afterReleases.iterator().next();
    Holder b = new Holder(Kind.SERVICE, "ns/b", T0);
    Holder c = new Holder(Kind.SERVICE, "ns/c", T2);
    assertThat(r.holders()).isEqualTo(Map.of(P53, dnsPod, P80, b, P443, c, P9000, c));
    assertThat(r.decisions().keySet()).containsExactly("ns/b", "ns/c", "ns/e");
  }

  /**
   * Property: a ledger after a random history, rebuilt from its holders (as deployed), its pods and
   * every Service's claim, fed in random orders, shows the same holders and decisions.
   */
  @Test
  void aLedgerRebuiltFromWhatIsDeployedHasTheGrantsItHadBefore() {
    Random r = new Random(99);
    List<PortKey> universe = List.of(P80, P443, P53, P8080, P9000);
    for (int round = 0; round < 300; round++) {
      PortLedger before = new PortLedger();
      Map<String, Claim> claims = new TreeMap<>();
      Map<String, Set<PortKey>> pods = new TreeMap<>();
      for (int step = 0; step < 30; step++) {
        int op = r.nextInt(10);
        String key = "ns/s" + r.nextInt(8);
        String ts = "2026-01-01T00:00:0" + Math.floorMod(key.hashCode(), 3) + "Z";
        if (op < 6) {
          Set<PortKey> ports = PortLedgerTest.randomPorts(r, universe, 1 + r.nextInt(2));
          claims.put(key, new Claim(key, ts, ports));
          before.claim(key, ts, ports);
        } else if (op < 8) {
          claims.remove(key);
          before.release(key);
        } else {
          String pod = "ns/p" + r.nextInt(2);
          Set<PortKey> ports = PortLedgerTest.randomPorts(r, universe, r.nextInt(2));
          if (ports.isEmpty()) pods.remove(pod);
          else pods.put(pod, ports);
          before.podPorts(pod, ports);
        }
      }
      List<Op> rebuild = new ArrayList<>();
      for (Claim c : claims.values()) {
        if (before.decision(c.key()).orElseThrow().granted()) {
          rebuild.add(new Op("hold " + c.key(), l -> l.hold(c.key(), c.ts(), c.ports())));
        }
        rebuild.add(new Op(c.key(), l -> l.claim(c.key(), c.ts(), c.ports())));
      }
      pods.forEach((pod, ports) -> rebuild.add(new Op(pod, l -> l.podPorts(pod, ports))));
      for (int shuffle = 0; shuffle < 5; shuffle++) {
        Collections.shuffle(rebuild, r);
        PortLedger after = new PortLedger();
        rebuild.forEach(op -> op.apply().accept(after));
        assertThat(Snapshot.of(after))
            .as("round %d %s", round, rebuild)
            .isEqualTo(Snapshot.of(before));
      }
    }
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
   * Many claimants per port: each port stays with the Service that got it first, older ones
   * arriving later wait, and when holders leave it passes to the oldest of those that wait (the key
   * breaks a tie), never to a newer one.
   */
  @Test
  void fiveThousandClaimsAndReleasesKeepEachPortWithItsHolderThenTheOldestWaiter() {
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
    // the first 1000 Services came first, one per port, and keep their ports
    assertThat(l.holders())
        .allSatisfy((port, h) -> assertThat(h.key()).isEqualTo("ns/s" + (port.port() - 10000)));
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
