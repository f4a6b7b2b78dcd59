package io.netsvc.actors.netpol;

import static org.awaitility.Awaitility.await;

import io.netsvc.k8s.EventSink;
import io.netsvc.k8s.records.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link EventSink} that keeps what it is given, for tests that check the events a user sees.
 */
final class RecordedEvents implements EventSink {
  record Event(ObjectRef about, String type, String reason, String message) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void event(ObjectRef about, String type, String reason, String message) {
    events.add(new Event(about, type, reason, message));
  }

  /** The events about objects of {@code namespace}, oldest first. */
  List<Event> about(String namespace) {
    return events.stream().filter(e -> namespace.equals(e.about().namespace())).toList();
  }

  /** The first event about an object of {@code namespace}, once there is one. */
  Event next(String namespace, Duration atMost) {
    await().atMost(atMost).until(() -> !about(namespace).isEmpty());
    return about(namespace).get(0);
  }
}
