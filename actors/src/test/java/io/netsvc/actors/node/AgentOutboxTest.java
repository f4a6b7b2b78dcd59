package io.netsvc.actors.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.Direction;
import io.netsvc.actors.netpol.model.FamilyIps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AgentOutboxTest {
  private long now = 1_000_000_000L;
  private final AgentOutbox outbox = new AgentOutbox(() -> now);
  private final List<AgentProtocol.Command> sent = new ArrayList<>();

  private static AgentProtocol.Fragment fragment(String key, long generation, int targets) {
    List<String> pods = IntStream.range(0, targets).mapToObj(i -> "ns/pod-" + i).toList();
    CompiledPolicy p =
        new CompiledPolicy(
            "ns",
            key,
            Set.of(Direction.INGRESS),
            pods,
            Map.of("n1", pods),
            FamilyIps.NONE,
            List.of(),
            List.of(),
            List.of());
    return new AgentProtocol.Fragment("ns/" + key, generation, p);
  }

  private boolean offer(AgentProtocol.Command m) {
    return outbox.offer(m, sent::add);
  }

  @Test
  void aLoneChangeGoesOutAtOnce() {
    assertThat(offer(fragment("a", 1, 1))).isFalse();
    assertThat(sent).containsExactly(fragment("a", 1, 1));
    assertThat(outbox.waiting()).isZero();
  }

  @Test
  void inABurstTheRestWaitsAndOnlyTheNewestOfEachPolicyGoesOutInOneBatch() {
    for (int i = 0; i < AgentOutbox.LONE; i++) offer(fragment("p" + i, 1, 1));
    assertThat(sent).hasSize(AgentOutbox.LONE);

    assertThat(offer(fragment("x", 1, 1))).as("the first to wait asks for a flush").isTrue();
    assertThat(offer(fragment("y", 1, 1))).isFalse();
    assertThat(offer(fragment("x", 2, 1))).isFalse();
    AgentProtocol.LocalPod pod = new AgentProtocol.LocalPod("ns/web", null);
    offer(pod);
    assertThat(sent).hasSize(AgentOutbox.LONE);

    outbox.flush(sent::add);
    assertThat(sent.subList(AgentOutbox.LONE, sent.size()))
        .containsExactly(
            new AgentProtocol.Batch(
                List.of(
                    AgentProtocol.Change.of(fragment("x", 2, 1)),
                    AgentProtocol.Change.of(fragment("y", 1, 1)),
                    AgentProtocol.Change.of(pod))));
    assertThat(outbox.waiting()).isZero();
  }

  @Test
  void aNewWindowSendsAtOnceAgain() {
    for (int i = 0; i <= AgentOutbox.LONE; i++) offer(fragment("p" + i, 1, 1));
    outbox.flush(sent::add);
    int before = sent.size();
    now += AgentOutbox.WINDOW_NANOS;
    offer(fragment("late", 1, 1));
    assertThat(sent).hasSize(before + 1).last().isEqualTo(fragment("late", 1, 1));
  }

  @Test
  void whatWaitsGoesOutBeforeTheEndOfASnapshot() {
    for (int i = 0; i <= AgentOutbox.LONE; i++) offer(fragment("p" + i, 1, 1));
    offer(new AgentProtocol.SnapshotDone(3));
    assertThat(sent.get(AgentOutbox.LONE)).isEqualTo(fragment("p" + AgentOutbox.LONE, 1, 1));
    assertThat(sent).last().isEqualTo(new AgentProtocol.SnapshotDone(3));
    assertThat(outbox.waiting()).isZero();
  }

  @Test
  void bigFragmentsAreSplitAcrossBatches() {
    for (int i = 0; i < AgentOutbox.LONE; i++) offer(fragment("small" + i, 1, 1));
    int big = AgentOutbox.MAX_WEIGHT / 5; // ~2/5 of a batch each
    for (int i = 0; i < 5; i++) offer(fragment("big" + i, 1, big));
    outbox.flush(sent::add);
    List<AgentProtocol.Command> flushed = sent.subList(AgentOutbox.LONE, sent.size());
    assertThat(flushed).hasSize(3);
    int fragments = 0;
    for (AgentProtocol.Command m : flushed) {
      int weight = 0;
      if (m instanceof AgentProtocol.Batch b) {
        for (AgentProtocol.Change c : b.changes()) weight += AgentOutbox.weight(c.message());
        fragments += b.changes().size();
      } else {
        weight = AgentOutbox.weight(m);
        fragments++;
      }
      assertThat(weight).isLessThanOrEqualTo(AgentOutbox.MAX_WEIGHT);
    }
    assertThat(fragments).isEqualTo(5);
  }
}
