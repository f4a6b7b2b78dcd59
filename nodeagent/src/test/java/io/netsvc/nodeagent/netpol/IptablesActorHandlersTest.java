package io.netsvc.nodeagent.netpol;

import io.netsvc.actors.testing.HandlerCoverage;
import io.netsvc.actors.testing.OneMemberCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every message of the IptablesActor has a handler; it reports to NodeActors that drop it all. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IptablesActorHandlersTest {
  OneMemberCluster cluster;

  @BeforeAll
  void start() {
    cluster = OneMemberCluster.start("IptablesActorHandlersTest").withSilentEntities();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @Test
  void everyMessageIsHandled() {
    NetpolDataplane dataplane =
        new NetpolDataplane() {
          @Override
          public Report apply(State state) {
            return new Report(0, 0, 0, 0, 0, null);
          }

          @Override
          public String show() {
            return "";
          }

          @Override
          public boolean repairDrift() {
            return false;
          }
        };
    HandlerCoverage.of(
            IptablesActor.Command.class,
            () ->
                IptablesActor.create(
                    "n1",
                    List.of("10.42.0.0/24"),
                    dataplane,
                    Runnable::run,
                    cluster.sharding(),
                    Duration.ofMinutes(1),
                    NetpolMetrics.NONE))
        .check();
  }
}
