package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.actors.servicelb.ServiceLbController.Command;
import io.netsvc.actors.servicelb.ServiceLbController.Keys;
import io.netsvc.actors.servicelb.ServiceLbController.ListPools;
import io.netsvc.actors.servicelb.ServiceLbController.ListServices;
import io.netsvc.actors.servicelb.ServiceLbController.ServiceObserved;
import io.netsvc.actors.servicelb.ServiceLbController.Stop;
import io.netsvc.actors.servicelb.model.Fixtures;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.actors.testing.FakeServiceLbApi;
import io.netsvc.actors.testing.FakeServiceLbApi.Call;
import io.netsvc.k8s.records.ServiceInfo;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --disable=servicelb} against an in-memory API: what an earlier ServiceLB left behind is
 * cleaned up, and the singleton answers the management queries with nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLbDisabledTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  ActorTestKit kit;

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("ServiceLbDisabledTest");
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  private List<String> ask(ActorRef<Command> actor, boolean pools) {
    TestProbe<Keys> reply = kit.createTestProbe();
    actor.tell(pools ? new ListPools(reply.getRef()) : new ListServices(reply.getRef()));
    return reply.receiveMessage(WAIT).keys();
  }

  @Test
  void everySvclbDaemonSetGoesAndNoServiceIsLeftStuckOnTheFinalizer() {
    FakeServiceLbApi api = new FakeServiceLbApi();
    api.existing("kube-system", SvclbNames.daemonSetName("web", Fixtures.UID));
    api.existing("kube-system", "svclb-db-0a1b2c3d");
    api.existing("elsewhere", "svclb-other-0a1b2c3d");
    // without its controller nothing would ever remove these, and the Services could not be deleted
    api.existingFinalizer(ServiceInfo.LB_CLEANUP_FINALIZER, "default/web");
    api.existingFinalizer(ServiceInfo.LB_CLEANUP_FINALIZER, "shop/db");

    ActorRef<Command> actor = kit.spawn(ServiceLbDisabled.create(api, "kube-system"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(api.daemonSets()).containsExactly("elsewhere/svclb-other-0a1b2c3d");
              assertThat(api.holding(ServiceInfo.LB_CLEANUP_FINALIZER)).isEmpty();
            });
    assertThat(api.calls).doesNotContain(Call.APPLY_DAEMONSET, Call.PATCH_STATUS);

    // nothing watches here: a stray watch message changes nothing, and the lists stay empty
    actor.tell(new ServiceObserved(Fixtures.svc().build(), false));
    assertThat(ask(actor, false)).isEmpty();
    assertThat(ask(actor, true)).isEmpty();
    actor.tell(new Stop());
    kit.createTestProbe().expectTerminated(actor, WAIT);
  }
}
