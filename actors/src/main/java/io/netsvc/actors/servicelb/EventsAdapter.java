package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.ServiceLbController.Command;
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

  @Override
  public void serviceChanged(ServiceInfo s) {
    controller.tell(new ServiceLbController.ServiceObserved(s, false));
  }

  @Override
  public void serviceDeleted(ServiceInfo s) {
    controller.tell(new ServiceLbController.ServiceObserved(s, true));
  }

  @Override
  public void nodeChanged(NodeInfo n) {
    controller.tell(new ServiceLbController.NodeObserved(n, false));
  }

  @Override
  public void nodeDeleted(NodeInfo n) {
    controller.tell(new ServiceLbController.NodeObserved(n, true));
  }

  @Override
  public void podChanged(PodInfo p) {
    controller.tell(new ServiceLbController.PodObserved(p, false));
  }

  @Override
  public void podDeleted(PodInfo p) {
    controller.tell(new ServiceLbController.PodObserved(p, true));
  }

  @Override
  public void endpointSliceChanged(EndpointSliceInfo e) {
    controller.tell(new ServiceLbController.EndpointSliceObserved(e, false));
  }

  @Override
  public void endpointSliceDeleted(EndpointSliceInfo e) {
    controller.tell(new ServiceLbController.EndpointSliceObserved(e, true));
  }
}
