package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.servicelb.model.PortLedger.Decision;
import io.netsvc.actors.servicelb.model.PortLedger.Kind;
import io.netsvc.actors.servicelb.model.PortLedger.PortKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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

  @Test
  void fiveThousandClaimsAndReleasesStayCheap() {
    PortLedger l = new PortLedger();
    long t0 = System.nanoTime();
    // five Services per port, arriving out of creation order
    for (int i = 0; i < 5000; i++) {
      l.claim(
          "ns/s" + i,
          String.format("2026-01-01T%02d:%02d:%02dZ", (i * 7) % 24, (i * 13) % 60, i % 60),
          Set.of(new PortKey(10000 + i % 1000, "TCP")));
    }
    assertThat(l.claimants()).hasSize(5000);
    assertThat(l.holders()).hasSize(1000);
    // three of the five claimants of every port leave; each port passes to a remaining one
    for (int i = 0; i < 5000; i++) if ((i / 1000) % 2 == 0) l.release("ns/s" + i);
    assertThat(l.claimants()).hasSize(2000);
    assertThat(l.holders()).hasSize(1000);
    assertThat(l.holders().values())
        .allSatisfy(h -> assertThat(Integer.parseInt(h.key().substring(4)) / 1000 % 2).isOne());
    // a sanity bound, not a benchmark: re-deciding everyone on each call takes far longer
    assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
  }
}
