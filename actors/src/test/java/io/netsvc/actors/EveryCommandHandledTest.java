package io.netsvc.actors;

import io.netsvc.actors.ccm.CloudNodeKeeper;
import io.netsvc.actors.ccm.NodeController;
import io.netsvc.actors.ccm.NodeControllerDeps;
import io.netsvc.actors.deploy.DeployDeps;
import io.netsvc.actors.deploy.DeployerActor;
import io.netsvc.actors.deploy.ManifestJobs;
import io.netsvc.actors.netpol.NamespaceActor;
import io.netsvc.actors.netpol.NetpolController;
import io.netsvc.actors.netpol.NetpolDeps;
import io.netsvc.actors.netpol.NetworkPolicyActor;
import io.netsvc.actors.netpol.NodeNetpol;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.node.NodeParts;
import io.netsvc.actors.servicelb.NodePorts;
import io.netsvc.actors.servicelb.PoolActor;
import io.netsvc.actors.servicelb.ServiceActor;
import io.netsvc.actors.servicelb.ServiceLbController;
import io.netsvc.actors.servicelb.ServiceLbDeps;
import io.netsvc.actors.servicelb.ServiceLbDisabled;
import io.netsvc.actors.servicelb.model.DaemonSetRenderer.RenderOptions;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbCache;
import io.netsvc.actors.testing.HandlerCoverage;
import io.netsvc.actors.testing.OneMemberCluster;
import io.netsvc.k8s.WatchRegistration;
import io.netsvc.k8s.deploy.PassResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every message of every actor's protocol has a handler (NodeActor's is checked beside it). The
 * actors talk to entities of a one-member cluster that drop what they get.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryCommandHandledTest {
  /** A watch that has synced at once and delivers nothing. */
  private static final WatchRegistration SYNCED =
      new WatchRegistration() {
        @Override
        public CompletionStage<Void> synced() {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
      };

  OneMemberCluster cluster;
  ClusterSharding sharding;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("EveryCommandHandledTest").withSilentEntities();
    sharding = cluster.sharding();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private ServiceLbDeps serviceLbDeps() {
    return new ServiceLbDeps(
        new FakeServiceLbApi(),
        new RenderOptions("kube-system", "klipper-lb", "system-node-critical"),
        sharding,
        Duration.ofSeconds(1));
  }

  @Test
  void serviceActor() {
    HandlerCoverage.of(
            ServiceActor.Command.class, () -> ServiceActor.create("default/web", serviceLbDeps()))
        // write results and pool answers come for a Service the actor knows
        .after(new ServiceActor.Changed(Fixtures.svc().build()))
        .check();
  }

  @Test
  void serviceLbController() {
    HandlerCoverage.of(
            ServiceLbController.Command.class,
            () -> ServiceLbController.create(serviceLbDeps(), h -> SYNCED, Duration.ofMinutes(1)))
        .check();
  }

  @Test
  void serviceLbDisabled() {
    HandlerCoverage.of(
            ServiceLbController.Command.class,
            () -> ServiceLbDisabled.create(new FakeServiceLbApi(), "kube-system"))
        .check();
  }

  @Test
  void nodeActor() {
    HandlerCoverage.of(
            NodeActor.Command.class,
            () ->
                NodeActor.create(
                    "node-1",
                    new NodeParts(
                        NodePorts.factory(sharding, new FakeServiceLbCache()),
                        CloudNodeKeeper.factory(null, false),
                        NodeNetpol.factory(sharding),
                        Duration.ofSeconds(1),
                        NodeParts.Agents.UNCHECKED)))
        .check();
  }

  @Test
  void poolActor() {
    HandlerCoverage.of(PoolActor.Command.class, () -> PoolActor.create("pool", sharding)).check();
  }

  @Test
  void nodeController() {
    HandlerCoverage.of(
            NodeController.Command.class,
            () ->
                NodeController.create(
                    new NodeControllerDeps(
                        h -> SYNCED,
                        sharding,
                        null,
                        true,
                        "kube-system",
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(1))))
        .check();
  }

  @Test
  void deployerActor() {
    ManifestJobs jobs =
        new ManifestJobs() {
          @Override
          public void prepare() {}

          @Override
          public PassResult pass(boolean force) {
            return new PassResult(0, 0, 0, 0);
          }
        };
    HandlerCoverage.of(
            DeployerActor.Command.class,
            () ->
                DeployerActor.create(
                    new DeployDeps(
                        jobs,
                        Path.of("target", "no-manifests"),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(1),
                        Runnable::run)))
        .check();
  }

  @Test
  void namespaceActor() {
    HandlerCoverage.of(NamespaceActor.Command.class, () -> NamespaceActor.create("ns", sharding))
        .check();
  }

  @Test
  void networkPolicyActor() {
    HandlerCoverage.of(
            NetworkPolicyActor.Command.class,
            () ->
                NetworkPolicyActor.create(
                    "ns/policy",
                    new NetpolDeps(sharding, (about, type, reason, message) -> {}, nanos -> {})))
        .check();
  }

  @Test
  void netpolController() {
    HandlerCoverage.of(
            NetpolController.Command.class, () -> NetpolController.create(h -> SYNCED, sharding))
        .check();
  }
}
