package io.netsvc.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.config.Discovery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How server and agent get into their cluster: seeds, alone, Cluster Bootstrap, or not at all. */
class FormationTest {
  private static final Map<String, String> POD =
      Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1", "KUBERNETES_SERVICE_PORT", "443");
  private static final List<String> NO_SEEDS = List.of();

  @Test
  void inAPodControllersMayFormTheClusterAndAgentsOnlyJoinIt() {
    Formation server = Formation.decide(true, NO_SEEDS, Discovery.KUBERNETES_API, POD, true);
    Formation agent = Formation.decide(false, NO_SEEDS, Discovery.KUBERNETES_API, POD, true);

    assertThat(server).isEqualTo(new Formation.Bootstrap(true));
    assertThat(agent).isEqualTo(new Formation.Bootstrap(false));
    assertThat(((Formation.Bootstrap) server).config())
        .isEqualTo("pekko.management.cluster.bootstrap.new-cluster-enabled = on\n");
    assertThat(((Formation.Bootstrap) agent).config())
        .isEqualTo("pekko.management.cluster.bootstrap.new-cluster-enabled = off\n");
  }

  @Test
  void discoveryOutsideAPodOrWithoutAServiceAccountTokenIsRefusedInOneLine() {
    Formation noApi =
        Formation.decide(false, NO_SEEDS, Discovery.KUBERNETES_API, Map.of("HOME", "/root"), true);
    Formation noToken = Formation.decide(true, NO_SEEDS, Discovery.KUBERNETES_API, POD, false);

    assertThat(noApi)
        .isEqualTo(
            new Formation.Refused(
                "agent --discovery kubernetes-api runs in a Kubernetes pod:"
                    + " KUBERNETES_SERVICE_HOST is not set (outside Kubernetes, use --seed)"));
    assertThat(noToken).isInstanceOf(Formation.Refused.class);
    assertThat(((Formation.Refused) noToken).message())
        .startsWith("server --discovery kubernetes-api")
        .contains("automountServiceAccountToken: true")
        .doesNotContain("\n");
  }

  @Test
  void onBareHostsSeedsAreJoinedAndAServerWithoutThemFormsItsOwnCluster() {
    List<String> seeds = List.of("10.0.0.1:25520", "10.0.0.2:25520");

    assertThat(Formation.decide(false, seeds, Discovery.SEEDS, Map.of(), false))
        .isEqualTo(new Formation.JoinSeeds(seeds));
    assertThat(Formation.decide(true, seeds, Discovery.SEEDS, POD, true))
        .isEqualTo(new Formation.JoinSeeds(seeds));
    assertThat(Formation.decide(true, NO_SEEDS, Discovery.SEEDS, Map.of(), false))
        .isEqualTo(new Formation.Alone());
  }

  @Test
  void anAgentWithNeitherSeedsNorDiscoveryCannotStart() {
    assertThat(Formation.decide(false, NO_SEEDS, Discovery.SEEDS, POD, true))
        .isEqualTo(
            new Formation.Refused(
                "agent needs --seed host:port of a server member, or --discovery kubernetes-api"
                    + " in a pod"));
  }
}
