package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.SvclbNames;
import io.netsvc.k8s.ServiceLbApi;
import io.netsvc.k8s.records.ServiceInfo;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code --disable=servicelb}: delete every svclb DaemonSet (as K3s does) and also remove the
 * {@code load-balancer-cleanup} finalizers earlier runs left on Services (K3s leaves them, so those
 * Services can never be deleted without manual edits).
 */
public final class ServiceLbDisabled {
  private ServiceLbDisabled() {}

  public static Behavior<ServiceLbController.Command> create(ServiceLbApi api, String lbNamespace) {
    return Behaviors.setup(
        ctx -> {
          api.deleteDaemonSetsWithLabel(lbNamespace, SvclbNames.NODESELECTOR_LABEL)
              .thenCompose(
                  n ->
                      api.removeFinalizerFromAllServices(ServiceInfo.LB_CLEANUP_FINALIZER)
                          .thenApply(
                              m ->
                                  "ServiceLB disabled: deleted "
                                      + n
                                      + " svclb DaemonSet(s), removed "
                                      + m
                                      + " finalizer(s)"))
              .whenComplete(
                  (msg, err) -> {
                    if (err != null)
                      org.slf4j.LoggerFactory.getLogger(ServiceLbDisabled.class)
                          .error("ServiceLB clean-up failed: {}", err.toString());
                    else org.slf4j.LoggerFactory.getLogger(ServiceLbDisabled.class).info(msg);
                  });
          return Behaviors.receive(ServiceLbController.Command.class)
              .onMessage(ServiceLbController.Stop.class, m -> Behaviors.stopped())
              .onMessage(
                  ServiceLbController.ListServices.class,
                  m -> {
                    m.replyTo().tell(new ServiceLbController.Keys(java.util.List.of()));
                    return Behaviors.same();
                  })
              .onMessage(
                  ServiceLbController.ListPools.class,
                  m -> {
                    m.replyTo().tell(new ServiceLbController.Keys(java.util.List.of()));
                    return Behaviors.same();
                  })
              .onAnyMessage(m -> Behaviors.same())
              .build();
        });
  }
}
