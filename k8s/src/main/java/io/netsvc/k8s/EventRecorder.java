package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.records.ObjectRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events like client-go's recorder: a repeat of the same (object, type, reason,
 * message) bumps the count of the event written before instead of adding a new one.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;
  private final KubernetesClient client;
  private final String component;
  private final Map<String, Event> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> e) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  public void record(ObjectRef about, String type, String reason, String message) {
    String key = about.uid() + "\n" + type + "\n" + reason + "\n" + message;
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      Event previous;
      synchronized (recent) {
        previous = recent.get(key);
      }
      Event written;
      if (previous != null) {
        previous.setCount(previous.getCount() == null ? 2 : previous.getCount() + 1);
        previous.setLastTimestamp(now);
        previous.getMetadata().setResourceVersion(null);
        written = client.v1().events().resource(previous).update();
      } else {
        written =
            client.v1().events().resource(newEvent(about, type, reason, message, now)).create();
      }
      synchronized (recent) {
        recent.put(key, written);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot record event {} {} on {}/{}: {}",
          type,
          reason,
          about.namespace(),
          about.name(),
          e.toString());
    }
  }

  /**
   * The object's name as the start of the event's: an event's name must be a DNS subdomain, and the
   * object may have one that is not (e.g. an Addon named after a file "my_app.yaml").
   */
  static String nameBase(String objectName) {
    String s = objectName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    s = s.replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    if (s.length() > 200) s = s.substring(0, 200).replaceAll("[^a-z0-9]+$", "");
    return s.isEmpty() ? "event" : s;
  }

  private Event newEvent(ObjectRef about, String type, String reason, String message, String now) {
    String name =
        nameBase(about.name())
            + "."
            + Long.toHexString(System.nanoTime())
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(about.namespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(about.apiVersion())
        .withKind(about.kind())
        .withNamespace(about.namespace())
        .withName(about.name())
        .withUid(about.uid())
        .withResourceVersion(about.resourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource()
        .withComponent(component)
        .endSource()
        .withReportingComponent(component)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }
}
