package io.netsvc.k8s.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The hash of what was applied, kept on the applied object (as wrangler's objectset hash and
 * kubectl's last-applied annotation do), so that "would applying this change anything?" is answered
 * against what was sent, not against what the API server stored: the server fills in defaults (a
 * pod template's {@code restartPolicy}, {@code dnsPolicy}, {@code schedulerName}, a DaemonSet's
 * {@code updateStrategy}, ...) that a rendering never has, so comparing specs took every svclb
 * DaemonSet for changed and a rebuilt ServiceActor re-applied it. Pure.
 */
public final class AppliedHash {
  private AppliedHash() {}

  /** The annotation that holds the hash of the object as it was applied. */
  public static final String ANNOTATION = "servicelb.netsvc.io/applied-hash";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code desired} with {@link #ANNOTATION} set to the SHA-256 of its JSON (without that
   * annotation). {@code desired} is not changed.
   */
  public static DaemonSet stamp(DaemonSet desired) {
    DaemonSet out = new DaemonSetBuilder(desired).build();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (out.getMetadata().getAnnotations() != null) {
      annotations.putAll(out.getMetadata().getAnnotations());
    }
    annotations.remove(ANNOTATION);
    out.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    String hash = hash(out);
    annotations.put(ANNOTATION, hash);
    out.getMetadata().setAnnotations(annotations);
    return out;
  }

  /**
   * True when applying {@code desired} over {@code live} would change nothing: every label and
   * annotation of {@code desired} is set on {@code live} and, for a stamped {@code desired}, that
   * includes the hash of what was applied (its spec then is not compared: the server's defaults are
   * in {@code live}'s). An unstamped {@code desired} needs an equal spec.
   */
  public static boolean unchanged(DaemonSet live, DaemonSet desired) {
    boolean stamped = annotations(desired).containsKey(ANNOTATION);
    return (stamped || Objects.equals(live.getSpec(), desired.getSpec()))
        && contains(live.getMetadata().getLabels(), desired.getMetadata().getLabels())
        && contains(annotations(live), annotations(desired));
  }

  private static Map<String, String> annotations(DaemonSet d) {
    Map<String, String> a = d.getMetadata() == null ? null : d.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  private static boolean contains(Map<String, String> live, Map<String, String> want) {
    if (want == null || want.isEmpty()) return true;
    return live != null && live.entrySet().containsAll(want.entrySet());
  }

  private static String hash(DaemonSet d) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(d));
      return HexFormat.of().formatHex(sha, 0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a rendered DaemonSet", e);
    }
  }
}
