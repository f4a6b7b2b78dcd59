package io.netsvc.actors.servicelb.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.k8s.records.ServiceInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  public DaemonSet render() {
    return DaemonSetRenderer.render(svc, opts, allowListMode, affinityNodes);
  }

  /**
   * A SHA-256 of the DaemonSet's JSON: equal digests mean equal DaemonSets (the renderer's maps
   * keep their insertion order and fabric8's fields have a fixed order), so a writer remembers 32
   * bytes of what it applied, not the object.
   */
  public static byte[] digest(DaemonSet ds) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(ds));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a rendered DaemonSet", e);
    }
  }
}
