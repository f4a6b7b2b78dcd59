package io.netsvc.actors.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.netpol.TenThousandPeers;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.testing.OneMemberCluster;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The batches a NodeActor's outbox sends its agent in a burst survive serialization between members
 * unchanged and fit Artery's large frame, even when made of the biggest fragments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentBatchSizeTest {
  // pekko.remote.artery.advanced.maximum-large-frame-size in cluster's application.conf
  private static final int LARGE_FRAME = 8 * 1024 * 1024;
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("AgentBatchSizeTest");
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @Test
  void aBurstOfTheBiggestFragmentsGoesOutInBatchesThatFitALargeFrameAndArriveIntact() {
    CompiledPolicy peers = TenThousandPeers.compiled();
    CompiledPolicy same = TenThousandPeers.compiledSameNamespace();
    AgentOutbox outbox = new AgentOutbox(() -> 0L);
    List<AgentProtocol.Command> sent = new ArrayList<>();
    for (int i = 0; i < AgentOutbox.LONE; i++) {
      outbox.offer(new AgentProtocol.LocalPod("ns/lone-" + i, null), sent::add);
    }
    for (int i = 0; i < 6; i++) {
      CompiledPolicy p = i < 4 ? peers : same;
      outbox.offer(new AgentProtocol.Fragment("big/p-" + i, i + 1, p), sent::add);
    }
    outbox.flush(sent::add);

    Serialization s = SerializationExtension.get(cluster.kit().system());
    int fragments = 0;
    for (AgentProtocol.Command m : sent.subList(AgentOutbox.LONE, sent.size())) {
      byte[] bytes = s.serialize(m).get();
      assertThat(bytes.length).as("serialized %s", m.getClass()).isLessThan(LARGE_FRAME);
      Object back = s.deserialize(bytes, m.getClass()).get();
      assertThat(back).isEqualTo(m);
      fragments += m instanceof AgentProtocol.Batch b ? b.changes().size() : 1;
    }
    assertThat(fragments).isEqualTo(6);
    assertThat(sent.subList(AgentOutbox.LONE, sent.size()))
        .as("some went together")
        .anyMatch(m -> m instanceof AgentProtocol.Batch);
  }
}
