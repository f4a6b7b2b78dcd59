package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.ServiceLbController.CleanupDone;
import io.netsvc.actors.servicelb.ServiceLbController.Command;
import io.netsvc.actors.servicelb.ServiceLbController.Keys;
import io.netsvc.actors.servicelb.ServiceLbController.ListPools;
import io.netsvc.actors.servicelb.ServiceLbController.ListServices;
import io.netsvc.actors.servicelb.ServiceLbController.Stop;
import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.ServiceLbApi;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code --disable=servicelb}: delete every svclb DaemonSet (as K3s does) and also remove the
 * {@code load-balancer-cleanup} finalizers earlier runs left on Services (K3s leaves them, so those
 * Services can never be deleted without manual edits).
 */
public final class ServiceLbDisabled {
  private ServiceLbDisabled() {}

  public static Behavior<Command> create(ServiceLbApi api, String lbNamespace) {
    return Behaviors.setup(
        ctx -> {
          ctx.pipeToSelf(
              cleanUp(api, lbNamespace),
              (summary, err) -> new CleanupDone(summary, err == null ? null : err.toString()));
          return Behaviors.receive(Command.class)
              .onMessage(CleanupDone.class, m -> ServiceLbController.logCleanup(ctx.getLog(), m))
              .onMessage(ListServices.class, m -> noKeys(m.replyTo()))
              .onMessage(ListPools.class, m -> noKeys(m.replyTo()))
              .onMessage(Stop.class, m -> Behaviors.stopped())
              // the watches' messages: there are none, nothing here watches
              .onAnyMessage(m -> Behaviors.same())
              .build();
        });
  }

  private static CompletionStage<String> cleanUp(ServiceLbApi api, String lbNamespace) {
    return api.deleteDaemonSetsWithLabel(lbNamespace, SvclbNames.NODESELECTOR_LABEL)
        .thenCompose(
            n ->
                api.removeFinalizerFromAllServices(ServiceInfo.LB_CLEANUP_FINALIZER)
                    .thenApply(
                        m ->
                            "ServiceLB disabled: deleted "
                                + n
                                + " svclb DaemonSet(s), removed "
                                + m
                                + " finalizer(s)"));
  }

  private static Behavior<Command> noKeys(ActorRef<Keys> replyTo) {
    replyTo.tell(new Keys(List.of()));
    return Behaviors.same();
  }
}
