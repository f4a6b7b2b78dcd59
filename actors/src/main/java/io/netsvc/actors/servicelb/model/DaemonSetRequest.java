package io.netsvc.actors.servicelb.model;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.k8s.records.ServiceInfo;
import java.util.SortedSet;

/**
 * What the svclb DaemonSet of a Service is rendered from, kept instead of the rendering: a rendered
 * DaemonSet is ~60 maps and ~70 lists, about 10 KB per Service, while these fields are the Service
 * the actor holds anyway and a few node names. {@link #render()} makes the DaemonSet when it is to
 * be written or compared.
 *
 * @param affinityNodes non-null: only these nodes (see {@link DaemonSetRenderer#render})
 */
public record DaemonSetRequest(
    ServiceInfo svc,
    DaemonSetRenderer.RenderOptions opts,
    boolean allowListMode,
    SortedSet<String> affinityNodes) {

  public DaemonSet render() {
    return DaemonSetRenderer.render(svc, opts, allowListMode, affinityNodes);
  }
}
