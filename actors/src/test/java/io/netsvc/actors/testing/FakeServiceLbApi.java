package io.netsvc.actors.testing;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netsvc.k8s.ServiceLbApi;
import io.netsvc.k8s.records.IngressInfo;
import io.netsvc.k8s.records.ObjectRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An in-memory stand-in for the ServiceLB API writer: it records every write (in call order) and
 * the events, keeps which svclb DaemonSets exist and which Services hold which finalizer, and can
 * fail the next calls of a kind.
 */
public final class FakeServiceLbApi implements ServiceLbApi {
  /** The kinds of call, for {@link #failNext}. */
  public enum Call {
    ENSURE_NAMESPACE,
    APPLY_DAEMONSET,
    DELETE_DAEMONSET,
    DELETE_DAEMONSETS_WITH_LABEL,
    LIST_DAEMONSETS,
    ADD_FINALIZER,
    REMOVE_FINALIZER,
    REMOVE_ALL_FINALIZERS,
    PATCH_STATUS
  }

  /** An event as recorded: about which object (ns/name), its type, reason and message. */
  public record Event(String about, String type, String reason, String message) {}

  /** A status patch: the Service (ns/name) and the ingress list sent. */
  public record StatusPatch(String service, List<IngressInfo> ingress) {}

  public final List<DaemonSet> applied = new CopyOnWriteArrayList<>();
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  public final List<StatusPatch> statusPatches = new CopyOnWriteArrayList<>();
  public final List<String> finalizersAdded = new CopyOnWriteArrayList<>();
  public final List<String> finalizersRemoved = new CopyOnWriteArrayList<>();
  public final List<Event> events = new CopyOnWriteArrayList<>();

  /** Every call, failed ones too, in order. */
  public final List<Call> calls = new CopyOnWriteArrayList<>();

  private final Set<String> daemonSets = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> finalizers = new ConcurrentHashMap<>();
  private final Map<Call, Deque<String>> failures = new EnumMap<>(Call.class);
  private final Map<Call, Deque<String>> throwing = new EnumMap<>(Call.class);

  /** The next call of this kind fails with {@code message}. */
  public synchronized void failNext(Call call, String message) {
    failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(message);
  }

  /**
   * The next call of this kind throws {@code message} at once instead of answering with a failed
   * future: a caller's bug or a client that fails before it gets going.
   */
  public synchronized void throwNext(Call call, String message) {
    throwing.computeIfAbsent(call, c -> new ArrayDeque<>()).add(message);
  }

  /** A svclb DaemonSet that exists already (deleting it reports that it existed). */
  public void existing(String namespace, String name) {
    daemonSets.add(namespace + "/" + name);
  }

  /** The svclb DaemonSets (ns/name) that exist now, sorted. */
  public List<String> daemonSets() {
    return daemonSets.stream().sorted().toList();
  }

  /** Service {@code service} (ns/name) already holds {@code finalizer}. */
  public void existingFinalizer(String finalizer, String service) {
    holders(finalizer).add(service);
  }

  /** The Services (ns/name) that hold {@code finalizer} now, sorted. */
  public List<String> holding(String finalizer) {
    return holders(finalizer).stream().sorted().toList();
  }

  private Set<String> holders(String finalizer) {
    return finalizers.computeIfAbsent(finalizer, f -> ConcurrentHashMap.newKeySet());
  }

  public List<String> reasons() {
    return events.stream().map(Event::reason).toList();
  }

  private synchronized <T> CompletionStage<T> call(Call call, Supplier<T> effect) {
    calls.add(call);
    Deque<String> thrown = throwing.get(call);
    if (thrown != null && !thrown.isEmpty()) throw new IllegalStateException(thrown.poll());
    Deque<String> queued = failures.get(call);
    if (queued != null && !queued.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException(queued.poll()));
    }
    return CompletableFuture.completedFuture(effect.get());
  }

  @Override
  public CompletionStage<Void> ensureNamespaceAndServiceAccount(String ns, String account) {
    return call(Call.ENSURE_NAMESPACE, () -> null);
  }

  @Override
  public CompletionStage<ApplyResult> applyDaemonSet(DaemonSet desired) {
    return call(
        Call.APPLY_DAEMONSET,
        () -> {
          applied.add(desired);
          String key = desired.getMetadata().getNamespace() + "/" + desired.getMetadata().getName();
          return daemonSets.add(key) ? ApplyResult.CREATED : ApplyResult.UPDATED;
        });
  }

  @Override
  public CompletionStage<Boolean> deleteDaemonSet(String namespace, String name) {
    return call(
        Call.DELETE_DAEMONSET,
        () -> {
          deleted.add(namespace + "/" + name);
          return daemonSets.remove(namespace + "/" + name);
        });
  }

  @Override
  public CompletionStage<Integer> deleteDaemonSetsWithLabel(String namespace, String labelKey) {
    // every DaemonSet here is an svclb one, so each carries the label
    return call(
        Call.DELETE_DAEMONSETS_WITH_LABEL,
        () -> {
          List<String> gone = inNamespace(namespace);
          gone.forEach(name -> daemonSets.remove(namespace + "/" + name));
          deleted.addAll(gone.stream().map(name -> namespace + "/" + name).toList());
          return gone.size();
        });
  }

  @Override
  public CompletionStage<List<String>> listDaemonSetNames(String namespace, String labelKey) {
    return call(Call.LIST_DAEMONSETS, () -> inNamespace(namespace));
  }

  private List<String> inNamespace(String namespace) {
    return daemonSets.stream()
        .filter(key -> key.startsWith(namespace + "/"))
        .map(key -> key.substring(namespace.length() + 1))
        .sorted()
        .toList();
  }

  @Override
  public CompletionStage<Void> addFinalizer(String namespace, String name, String finalizer) {
    return call(
        Call.ADD_FINALIZER,
        () -> {
          holders(finalizer).add(namespace + "/" + name);
          return record(finalizersAdded, namespace + "/" + name);
        });
  }

  @Override
  public CompletionStage<Void> removeFinalizer(String namespace, String name, String finalizer) {
    return call(
        Call.REMOVE_FINALIZER,
        () -> {
          holders(finalizer).remove(namespace + "/" + name);
          return record(finalizersRemoved, namespace + "/" + name);
        });
  }

  @Override
  public CompletionStage<Integer> removeFinalizerFromAllServices(String finalizer) {
    return call(
        Call.REMOVE_ALL_FINALIZERS,
        () -> {
          Set<String> holders = holders(finalizer);
          List<String> removed = List.copyOf(holders);
          holders.clear();
          finalizersRemoved.addAll(removed);
          return removed.size();
        });
  }

  @Override
  public CompletionStage<Void> patchLoadBalancerStatus(
      String namespace, String name, List<IngressInfo> ingress) {
    return call(
        Call.PATCH_STATUS,
        () -> {
          statusPatches.add(new StatusPatch(namespace + "/" + name, List.copyOf(ingress)));
          return null;
        });
  }

  @Override
  public void event(ObjectRef about, String type, String reason, String message) {
    events.add(new Event(about.namespace() + "/" + about.name(), type, reason, message));
  }

  private static Void record(List<String> list, String key) {
    list.add(key);
    return null;
  }
}
