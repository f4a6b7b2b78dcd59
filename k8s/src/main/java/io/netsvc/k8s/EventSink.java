package io.netsvc.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.records.ObjectRef;
import java.util.concurrent.Executor;

/** Records core/v1 Events without blocking the caller (an actor). Fire and forget. */
public interface EventSink {
  void event(ObjectRef about, String type, String reason, String message);

  /** Events through an {@link EventRecorder}, written on {@code io}. */
  static EventSink fabric(KubernetesClient client, String component, Executor io) {
    EventRecorder recorder = new EventRecorder(client, component);
    return (about, type, reason, message) ->
        io.execute(() -> recorder.record(about, type, reason, message));
  }
}
