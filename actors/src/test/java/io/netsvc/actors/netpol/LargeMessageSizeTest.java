package io.netsvc.actors.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.node.AgentProtocol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How big, as CBOR between members, the NetworkPolicy messages get for a policy admitting 10,000
 * peer pods: larger than Artery's ordinary frame (256 KiB), which is why they travel on its
 * large-message channel (cluster's application.conf).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeMessageSizeTest {
  private static final int ORDINARY_FRAME = 256 * 1024;
  // pekko.remote.artery.advanced.maximum-large-frame-size in cluster's application.conf
  private static final int LARGE_FRAME = 8 * 1024 * 1024;
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("LargeMessageSizeTest");
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private int size(Object message) {
    Serialization s = SerializationExtension.get(cluster.kit().system());
    return s.serialize(message).get().length;
  }

  @Test
  void theMessagesOfANamespaceOfTenThousandPodsExceedAnOrdinaryFrameAndFitALargeOne() {
    // 10,000 peers of one target: the peers' addresses only, ~120 KB
    var peers = TenThousandPeers.compiled();
    assertThat(size(new AgentProtocol.Fragment(peers.key(), 1, peers))).isLessThan(ORDINARY_FRAME);

    // allow-same-namespace: 10,001 targets and peers, ~0.5 MB, on every hop to the agent
    var same = TenThousandPeers.compiledSameNamespace();
    int fragment = size(new AgentProtocol.Fragment(same.key(), 1, same));
    int toNode = size(new NodeActor.PolicyFragment(same.key(), 1, same));
    // what a policy reading the namespace gets when it subscribes, ~1.5 MB
    int snapshot =
        size(
            new NetworkPolicyActor.NamespaceSnapshot(
                "big", new NamespaceInfo("big", Map.of()), TenThousandPeers.pods()));
    assertThat(List.of(fragment, toNode, snapshot))
        .allSatisfy(n -> assertThat(n).isGreaterThan(ORDINARY_FRAME).isLessThan(LARGE_FRAME));
  }
}
