package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.ServiceLbController.Command;
import io.netsvc.actors.servicelb.ServiceLbController.Observed;
import io.netsvc.k8s.ClusterEvents;
import io.netsvc.k8s.records.EndpointSliceInfo;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.PodInfo;
import io.netsvc.k8s.records.ServiceInfo;
import org.apache.pekko.actor.typed.ActorRef;

/** Turns watch callbacks (informer threads) into messages to the controller. */
final class EventsAdapter implements ClusterEvents {
  private final ActorRef<Command> controller;

  EventsAdapter(ActorRef<Command> controller) {
    this.controller = controller;
  }

  private void tell(Object o, boolean deleted) {
    controller.tell(new Observed(o, deleted));
  }

  @Override
  public void serviceChanged(ServiceInfo s) {
    tell(s, false);
  }

  @Override
  public void serviceDeleted(ServiceInfo s) {
    tell(s, true);
  }

  @Override
  public void nodeChanged(NodeInfo n) {
    tell(n, false);
  }

  @Override
  public void nodeDeleted(NodeInfo n) {
    tell(n, true);
  }

  @Override
  public void podChanged(PodInfo p) {
    tell(p, false);
  }

  @Override
  public void podDeleted(PodInfo p) {
    tell(p, true);
  }

  @Override
  public void endpointSliceChanged(EndpointSliceInfo e) {
    tell(e, false);
  }

  @Override
  public void endpointSliceDeleted(EndpointSliceInfo e) {
    tell(e, true);
  }
}
