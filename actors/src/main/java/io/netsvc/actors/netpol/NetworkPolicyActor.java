package io.netsvc.actors.netpol;

import io.netsvc.actors.netpol.model.ClusterView;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One NetworkPolicy: subscribes to the namespaces it needs, compiles the policy with pure code
 * whenever they change (changes in a burst compile once) and sends each node that hosts a selected
 * pod the compiled policy — the node's fragment — and a removal to a node that no longer does.
 * Problems are reported as a Warning event on the NetworkPolicy, never swallowed.
 */
public final class NetworkPolicyActor extends AbstractBehavior<NetworkPolicyActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "NetworkPolicy");
  static final Duration BATCH = Duration.ofMillis(5);
  static final Duration MAX_BATCH = Duration.ofSeconds(1);

  /** Messages of a NetworkPolicyActor. */
  public sealed interface Command extends CborSerializable
      permits PolicyChanged,
          PolicyDeleted,
          Namespaces,
          NamespaceSnapshot,
          NamespaceChanged,
          PodChanged,
          PodGone,
          Compile,
          Realised,
          GetStatus {}

  public record PolicyChanged(NetworkPolicyInfo policy) implements Command {}

  public record PolicyDeleted() implements Command {}

  /** Every namespace that exists (for policies with namespace selectors). */
  public record Namespaces(Set<String> names) implements Command {}

  public record NamespaceSnapshot(String namespace, NamespaceInfo info, List<NetpolPod> pods)
      implements Command {}

  public record NamespaceChanged(String namespace, NamespaceInfo info) implements Command {}

  public record PodChanged(NetpolPod pod) implements Command {}

  public record PodGone(String namespace, String name) implements Command {}

  record Compile() implements Command {}

  /** A node applied this policy's fragment of {@code generation}. */
  public record Realised(String node, long generation) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Where the policy is realised, for the Management route. */
  public record Status(
      String policy,
      long generation,
      Map<String, Long> sent,
      Map<String, Long> realised,
      List<String> targets,
      List<String> problems)
      implements CborSerializable {}

  public static Behavior<Command> create(String key, NetpolDeps deps) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(t -> new NetworkPolicyActor(ctx, t, key, deps)));
  }

  private final String key;
  private final NetpolDeps deps;
  private final TimerScheduler<Command> timers;
  private final Map<String, NamespaceInfo> namespaces = new HashMap<>();
  private final Map<String, Map<String, NetpolPod>> pods = new HashMap<>();
  private final Set<String> subscribed = new HashSet<>();
  private final Map<String, Long> sent = new TreeMap<>();
  private final Map<String, Long> realised = new TreeMap<>();
  private Set<String> allNamespaces = Set.of();
  private NetworkPolicyInfo policy;
  private CompiledPolicy compiled;
  private long generation;
  private List<String> reportedProblems = List.of();
  private long lastCompileNanos;
  private boolean everyNamespace;
  private List<io.netsvc.k8s.records.netpol.SelectorInfo> namespaceSelectors = List.of();

  private NetworkPolicyActor(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, String key, NetpolDeps deps) {
    super(ctx);
    this.key = key;
    this.deps = deps;
    this.timers = timers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PolicyChanged.class, this::onPolicy)
        .onMessage(PolicyDeleted.class, m -> onDeleted())
        .onMessage(Namespaces.class, this::onNamespaces)
        .onMessage(NamespaceSnapshot.class, this::onSnapshot)
        .onMessage(NamespaceChanged.class, this::onNamespaceChanged)
        .onMessage(PodChanged.class, this::onPod)
        .onMessage(PodGone.class, this::onPodGone)
        .onMessage(Compile.class, m -> compile())
        .onMessage(Realised.class, this::onRealised)
        .onMessage(GetStatus.class, this::onStatus)
        .build();
  }

  private Behavior<Command> onPolicy(PolicyChanged m) {
    if (m.policy().equals(policy)) return this;
    policy = m.policy();
    everyNamespace = NetpolNeeds.everyNamespace(policy);
    namespaceSelectors = NetpolNeeds.namespaceSelectors(policy);
    resubscribe();
    return dirty();
  }

  private Behavior<Command> onNamespaces(Namespaces m) {
    allNamespaces = Set.copyOf(m.names());
    if (policy != null) resubscribe();
    return this;
  }

  private void resubscribe() {
    Set<String> wanted = new HashSet<>();
    wanted.add(policy.namespace());
    if (NetpolNeeds.allNamespaces(policy)) wanted.addAll(allNamespaces);
    for (String ns : wanted) {
      if (subscribed.add(ns)) namespace(ns).tell(new NamespaceActor.Subscribe(key));
    }
    for (String ns : Set.copyOf(subscribed)) {
      if (!wanted.contains(ns)) {
        subscribed.remove(ns);
        namespace(ns).tell(new NamespaceActor.Unsubscribe(key));
        namespaces.remove(ns);
        pods.remove(ns);
      }
    }
  }

  private Behavior<Command> onSnapshot(NamespaceSnapshot m) {
    if (!subscribed.contains(m.namespace())) return this;
    if (m.info() == null) namespaces.remove(m.namespace());
    else namespaces.put(m.namespace(), m.info());
    Map<String, NetpolPod> byName = new HashMap<>();
    m.pods().forEach(p -> byName.put(p.name(), p));
    pods.put(m.namespace(), byName);
    return dirty();
  }

  private Behavior<Command> onNamespaceChanged(NamespaceChanged m) {
    if (m.info() == null) namespaces.remove(m.namespace());
    else namespaces.put(m.namespace(), m.info());
    return dirty();
  }

  private Behavior<Command> onPod(PodChanged m) {
    pods.computeIfAbsent(m.pod().namespace(), ns -> new HashMap<>()).put(m.pod().name(), m.pod());
    return relevant(m.pod().namespace()) ? dirty() : this;
  }

  private Behavior<Command> onPodGone(PodGone m) {
    Map<String, NetpolPod> ns = pods.get(m.namespace());
    if (ns != null) ns.remove(m.name());
    return relevant(m.namespace()) ? dirty() : this;
  }

  /**
   * Whether the pods of a namespace can matter to this policy: its own namespace, any namespace
   * when named ports may resolve anywhere, else only namespaces a namespace selector matches (so a
   * pod event elsewhere costs no compile, and the compile reads only these namespaces).
   */
  private boolean relevant(String ns) {
    if (policy == null || ns.equals(policy.namespace()) || everyNamespace) return true;
    NamespaceInfo info = namespaces.get(ns);
    if (info == null) return false;
    for (var selector : namespaceSelectors) {
      if (io.netsvc.actors.netpol.model.Selectors.matches(selector, info.labels())) return true;
    }
    return false;
  }

  /**
   * Changes are batched: the first compiles after {@link #BATCH}, and while compiling is expensive
   * (a policy with namespace selectors reads the whole cluster) the next waits four times as long
   * as the last took, so a burst of pod events costs at most about a fifth of a core per policy
   * instead of one compile per event.
   */
  private Behavior<Command> dirty() {
    if (policy != null && !timers.isTimerActive("compile")) {
      long wait = Math.max(BATCH.toNanos(), Math.min(MAX_BATCH.toNanos(), lastCompileNanos * 4));
      timers.startSingleTimer("compile", new Compile(), Duration.ofNanos(wait));
    }
    return this;
  }

  private Behavior<Command> compile() {
    if (policy == null) return this;
    long t0 = System.nanoTime();
    ClusterView view =
        ClusterView.of(
            namespaces.values(),
            pods.entrySet().stream()
                .filter(e -> relevant(e.getKey()))
                .flatMap(e -> e.getValue().values().stream())
                .toList());
    CompiledPolicy next = PolicyCompiler.compile(policy, view);
    lastCompileNanos = System.nanoTime() - t0;
    deps.compileNanos().accept(lastCompileNanos);
    if (next.equals(compiled)) return this;
    compiled = next;
    generation++;
    Set<String> nodes = next.targetsByNode().keySet();
    for (String node : nodes) {
      sent.put(node, generation);
      node(node).tell(new NodeActor.PolicyFragment(key, generation, next));
    }
    for (String node : Set.copyOf(sent.keySet())) {
      if (!nodes.contains(node)) {
        sent.remove(node);
        realised.remove(node);
        node(node).tell(new NodeActor.PolicyFragment(key, generation, null));
      }
    }
    reportProblems(next.problems());
    return this;
  }

  private void reportProblems(List<String> problems) {
    if (problems.equals(reportedProblems)) return;
    reportedProblems = problems;
    if (problems.isEmpty()) return;
    deps.events()
        .event(
            new ObjectRef(
                "networking.k8s.io/v1",
                "NetworkPolicy",
                policy.namespace(),
                policy.name(),
                policy.uid(),
                ""),
            "Warning",
            "PolicyNotEnforced",
            "Parts of this policy allow nothing: " + String.join("; ", problems));
  }

  private Behavior<Command> onDeleted() {
    for (String node : sent.keySet()) {
      node(node).tell(new NodeActor.PolicyFragment(key, generation + 1, null));
    }
    subscribed.forEach(ns -> namespace(ns).tell(new NamespaceActor.Unsubscribe(key)));
    return Behaviors.stopped();
  }

  private Behavior<Command> onRealised(Realised m) {
    if (sent.containsKey(m.node())) realised.put(m.node(), m.generation());
    return this;
  }

  private Behavior<Command> onStatus(GetStatus m) {
    m.replyTo()
        .tell(
            new Status(
                key,
                generation,
                Map.copyOf(sent),
                Map.copyOf(realised),
                compiled == null ? List.of() : compiled.targets(),
                compiled == null ? List.of() : compiled.problems()));
    return this;
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NamespaceActor.Command>
      namespace(String ns) {
    return deps.sharding().entityRefFor(NamespaceActor.TYPE_KEY, ns);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NodeActor.Command> node(
      String node) {
    return deps.sharding().entityRefFor(NodeActor.TYPE_KEY, node);
  }
}
