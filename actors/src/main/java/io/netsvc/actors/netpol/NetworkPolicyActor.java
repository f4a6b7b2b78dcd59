package io.netsvc.actors.netpol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.netsvc.actors.netpol.model.CompiledPolicy;
import io.netsvc.actors.netpol.model.NamespaceView;
import io.netsvc.actors.netpol.model.PolicyCompiler;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.ObjectRef;
import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * pod its projection of the compiled policy — the node's fragment: its own targets and the rules —
 * when that changed, and a removal to a node that no longer does. Problems are reported as a
 * Warning event on the NetworkPolicy, never swallowed.
 *
 * <p>An incarnation that starts (the policy is new, or its actor restarted or moved after a crash)
 * reads the policy, its namespaces and pods from the member's caches and compiles at once, so its
 * targets get the fragment without anyone telling it anything; nodes that still hold a fragment it
 * did not send learn what to do from the resync ({@link Held}) or by asking ({@link Resend}).
 */
public final class NetworkPolicyActor extends AbstractBehavior<NetworkPolicyActor.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "NetworkPolicy");

  /**
   * A change this soon after the last compile waits for the rest of it. Each compile that changes
   * the policy sends a fragment to every node it targets, so in a burst of pod events this bounds
   * the fragments a policy sends to 20 a second per node (at 5 ms, 200 a second per node overflowed
   * Artery's send queues between three members); a lone change still goes out at once.
   */
  static final Duration BATCH = Duration.ofMillis(50);

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
          Resend,
          Held,
          GoneCheck,
          Warm,
          Resync,
          GetStatus {}

  public record PolicyChanged(NetworkPolicyInfo policy) implements Command {}

  /**
   * The policy is gone; {@code lastKnown} (null if unknown) is how it looked, so that an
   * incarnation that started after it left the caches (its predecessor was lost with a member) can
   * still tell the nodes it targets to drop it.
   */
  public record PolicyDeleted(NetworkPolicyInfo lastKnown) implements Command {
    public PolicyDeleted() {
      this(null);
    }
  }

  /** Every namespace that exists (for policies with namespace selectors). */
  public record Namespaces(Set<String> names) implements Command {}

  /** The whole namespace, as its NamespaceActor holds it now. */
  public record NamespaceSnapshot(NamespaceView view) implements Command {
    public NamespaceSnapshot(String namespace, NamespaceInfo info, List<NetpolPod> pods) {
      this(NamespaceView.of(namespace, info, PolicyViews.UNVERSIONED, pods));
    }

    public String namespace() {
      return view.namespace();
    }

    public NamespaceInfo info() {
      return view.info();
    }

    public List<NetpolPod> pods() {
      return List.copyOf(view.pods());
    }
  }

  /*
   * The changes of a namespace carry the version of the view they make and, within a JVM, the view
   * itself (not serialized: a policy on another member applies the change to the view it holds).
   */

  public record NamespaceChanged(
      String namespace, NamespaceInfo info, long version, @JsonIgnore NamespaceView view)
      implements Command {
    public NamespaceChanged(String namespace, NamespaceInfo info) {
      this(namespace, info, PolicyViews.UNVERSIONED, null);
    }
  }

  public record PodChanged(NetpolPod pod, long version, @JsonIgnore NamespaceView view)
      implements Command {
    public PodChanged(NetpolPod pod) {
      this(pod, PolicyViews.UNVERSIONED, null);
    }
  }

  public record PodGone(String namespace, String name, long version, @JsonIgnore NamespaceView view)
      implements Command {
    public PodGone(String namespace, String name) {
      this(namespace, name, PolicyViews.UNVERSIONED, null);
    }
  }

  record Compile() implements Command {}

  /** A node applied this policy's fragment of {@code generation}. */
  public record Realised(String node, long generation) implements Command {}

  /**
   * A node asks for this policy's fragment: a rebuilt NodeActor gathering its state, or one whose
   * agent holds a policy it does not know. Answered with the fragment, or with a removal when the
   * policy does not select a pod there (or does not exist).
   */
  public record Resend(String node) implements Command {}

  /**
   * The level-triggered resync: {@code node} holds this policy's fragment of {@code generation}.
   */
  public record Held(String node, long generation) implements Command {}

  /**
   * Look again whether the policy has left the member's caches: a deletion that reached no
   * controller (one was starting) would otherwise leave the policy on its nodes for good.
   */
  record GoneCheck() implements Command {}

  /** Try again to read the policy from the member's caches (they had not listed yet). */
  record Warm() implements Command {}

  /** A resync round: nodes that lost their fragment get it again. */
  record Resync() implements Command {}

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

  static final Duration WARM_RETRY = Duration.ofMillis(500);

  /**
   * A policy missing from this member's caches is taken for deleted only when it is still missing
   * this much later: a policy just created may reach the actor (through the controller's member)
   * before it reaches this member's informer.
   */
  static final Duration GONE_CHECK = Duration.ofSeconds(3);

  public static Behavior<Command> create(String key, NetpolDeps deps) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                t -> {
                  NetworkPolicyActor a = new NetworkPolicyActor(ctx, t, key, deps);
                  if (deps.cache() != NetpolCache.NONE) {
                    t.startTimerWithFixedDelay("resync", new Resync(), deps.resyncEvery());
                    a.warm();
                  }
                  return a;
                }));
  }

  private final String key;
  private final NetpolDeps deps;
  private final TimerScheduler<Command> timers;
  private final PolicyViews views = new PolicyViews();
  private final Set<String> subscribed = new HashSet<>();
  private Set<String> allNamespaces = Set.of();
  private NetworkPolicyInfo policy;
  private List<String> reportedProblems = List.of();
  private long lastCompileNanos;
  // when the last compile ended (deps.clock), 0 before the first
  private long lastCompileAt;
  // whether this incarnation knows if its policy exists: from a PolicyChanged, or from the caches
  private boolean known;
  // whether the controller told it the policy (else it only read it from the caches)
  private boolean routed;
  // resync rounds this incarnation has seen (see onHeld)
  private int rounds;
  // nodes that asked for the fragment while a compile was pending; answered after it
  private final Set<String> asked = new HashSet<>();
  private final PolicyDelivery delivery;

  private NetworkPolicyActor(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, String key, NetpolDeps deps) {
    super(ctx);
    this.key = key;
    this.deps = deps;
    this.timers = timers;
    this.delivery = new PolicyDelivery(key, deps.sharding());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PolicyChanged.class, this::onPolicy)
        .onMessage(PolicyDeleted.class, this::onDeleted)
        .onMessage(Namespaces.class, this::onNamespaces)
        .onMessage(NamespaceSnapshot.class, this::onSnapshot)
        .onMessage(NamespaceChanged.class, this::onNamespaceChanged)
        .onMessage(PodChanged.class, this::onPod)
        .onMessage(PodGone.class, this::onPodGone)
        .onMessage(Compile.class, m -> compile())
        .onMessage(Realised.class, this::onRealised)
        .onMessage(Resend.class, this::onResend)
        .onMessage(Held.class, this::onHeld)
        .onMessage(GoneCheck.class, m -> onGoneCheck())
        .onMessage(Warm.class, m -> warm())
        .onMessage(Resync.class, m -> onResync())
        .onMessage(GetStatus.class, this::onStatus)
        .build();
  }

  private Behavior<Command> onPolicy(PolicyChanged m) {
    routed = true;
    if (m.policy().equals(policy)) return this;
    boolean first = policy == null;
    known = true;
    adopt(m.policy(), first && deps.cache().synced());
    return dirty();
  }

  private void adopt(NetworkPolicyInfo p, boolean fromCache) {
    policy = p;
    if (fromCache) prefill();
    resubscribe();
  }

  /**
   * A policy this incarnation starts with (it is new, or its actor was rebuilt after a restart or a
   * move) reads the namespaces and pods it needs from the member's caches, so its first compile
   * sees the whole picture rather than whichever namespace snapshot came first; the snapshots that
   * answer its subscriptions level it again.
   */
  private void prefill() {
    NetpolCache cache = deps.cache();
    if (allNamespaces.isEmpty()) {
      Set<String> names = new HashSet<>();
      cache.namespaces().forEach(n -> names.add(n.name()));
      allNamespaces = Set.copyOf(names);
    }
    Set<String> wanted = new HashSet<>();
    wanted.add(policy.namespace());
    if (NetpolNeeds.allNamespaces(policy)) wanted.addAll(allNamespaces);
    for (String ns : wanted) {
      NamespaceInfo info = cache.namespace(ns).orElse(null);
      views.prefill(NamespaceView.of(ns, info, PolicyViews.UNVERSIONED, cache.pods(ns)));
    }
  }

  /**
   * Reads the policy from the member's caches once they have listed. Generations of an incarnation
   * that starts this way are numbered from its start time, so a node still holding a fragment of an
   * earlier incarnation never takes it for the current one.
   */
  private Behavior<Command> warm() {
    if (known) return this;
    if (!deps.cache().synced()) {
      timers.startSingleTimer("warm", new Warm(), WARM_RETRY);
      return this;
    }
    known = true;
    delivery.numberFrom(System.currentTimeMillis());
    deps.cache().policy(key).ifPresent(p -> adopt(p, true));
    return policy == null ? this : dirty();
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
        views.remove(ns);
      }
    }
  }

  private Behavior<Command> onSnapshot(NamespaceSnapshot m) {
    if (m.view() == null) {
      // a malformed message (e.g. from a member of another version): the resync asks again
      getContext().getLog().warn("netpol: policy {} got a namespace snapshot without a view", key);
      return this;
    }
    if (!subscribed.contains(m.namespace())) return this;
    return then(m.namespace(), views.snapshot(m.view(), policy));
  }

  private Behavior<Command> onNamespaceChanged(NamespaceChanged m) {
    if (!subscribed.contains(m.namespace())) return this;
    return then(
        m.namespace(), views.labels(m.namespace(), m.info(), m.version(), m.view(), policy));
  }

  private Behavior<Command> onPod(PodChanged m) {
    if (!subscribed.contains(m.pod().namespace())) return this;
    return then(m.pod().namespace(), views.pod(m.pod(), m.version(), m.view(), policy));
  }

  private Behavior<Command> onPodGone(PodGone m) {
    if (!subscribed.contains(m.namespace())) return this;
    return then(
        m.namespace(), views.podGone(m.namespace(), m.name(), m.version(), m.view(), policy));
  }

  /** A change was applied: ask for the whole namespace after a gap, compile if it can matter. */
  private Behavior<Command> then(String ns, PolicyViews.Outcome o) {
    if (o.gap()) namespace(ns).tell(new NamespaceActor.Subscribe(key));
    return o.compile() ? dirty() : this;
  }

  /**
   * A lone change compiles and goes out at once. Changes that follow a compile within {@link
   * #BATCH} are batched: they compile together when the timer fires, and while compiling is
   * expensive (a policy with namespace selectors reads the whole cluster) the timer waits four
   * times as long as the last compile took, so a burst of pod events costs at most about a fifth of
   * a core per policy instead of one compile per event. A policy still waiting for the snapshot of
   * a namespace it reads waits for the timer too, rather than send a fragment without it.
   */
  private Behavior<Command> dirty() {
    if (policy == null || timers.isTimerActive("compile")) return this;
    long wait = Math.max(BATCH.toNanos(), Math.min(MAX_BATCH.toNanos(), lastCompileNanos * 4));
    boolean quiet = lastCompileAt == 0 || deps.clock().getAsLong() - lastCompileAt >= wait;
    if (quiet && subscribed.stream().allMatch(views::has)) return compile();
    timers.startSingleTimer("compile", new Compile(), Duration.ofNanos(wait));
    return this;
  }

  private Behavior<Command> compile() {
    if (policy == null) return this;
    long t0 = System.nanoTime();
    CompiledPolicy next = PolicyCompiler.compile(policy, views.cluster());
    lastCompileNanos = System.nanoTime() - t0;
    lastCompileAt = deps.clock().getAsLong();
    deps.compileNanos().accept(lastCompileNanos);
    if (delivery.publish(next)) reportProblems(next.problems());
    Set.copyOf(asked).forEach(delivery::answer);
    asked.clear();
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

  private Behavior<Command> onDeleted(PolicyDeleted m) {
    if (!known) warm();
    if (delivery.compiled() == null && m.lastKnown() != null && known) {
      // this incarnation started after the policy left the caches and sent nothing: the nodes
      // the policy as last seen targets (by the pods of now) still hold a predecessor's fragment
      policy = m.lastKnown();
      prefill();
      delivery.removeFrom(PolicyCompiler.compile(policy, views.cluster()).targetsByNode().keySet());
    }
    delivery.deleted();
    subscribed.forEach(ns -> namespace(ns).tell(new NamespaceActor.Unsubscribe(key)));
    return Behaviors.stopped();
  }

  private Behavior<Command> onResend(Resend m) {
    if (!known) warm();
    suspectGone();
    if (!known) return this; // the caches have not listed: the node asks again
    if (policy != null && (delivery.compiled() == null || timers.isTimerActive("compile"))) {
      asked.add(m.node());
      return dirty();
    }
    delivery.answer(m.node());
    return this;
  }

  /**
   * A node's resync report. It holds what it should (the current generation, or a fragment sent so
   * recently that the report crossed it): nothing to do. Otherwise it is repaired: a node that
   * still holds this policy though it should not (the policy is gone, or selects nothing there any
   * more, and the removal was lost or sent by an incarnation that no longer exists) gets a removal;
   * one that holds an old generation gets the current one.
   */
  private Behavior<Command> onHeld(Held m) {
    if (!known) warm();
    suspectGone();
    if (!known || timers.isTimerActive("compile")) return this; // looked at again next round
    String repaired = delivery.held(m.node(), m.generation());
    // A node's report that crossed the deletion of the policy starts a new incarnation after the
    // old one stopped; it sends the removal again, but that is the deletion in flight, not a lost
    // message, so it is not counted (the counter stays 0 in normal operation).
    if (policy == null && rounds == 0) return this;
    counted(m.node(), repaired);
    return this;
  }

  /**
   * A resync round: every namespace read is reminded of the subscription, and a target node that
   * has not confirmed the fragment for too long gets it.
   */
  private Behavior<Command> onResync() {
    rounds++;
    if (!known) return warm();
    // a namespace rebuilt from caches that lacked this policy would not tell it its changes; one
    // whose snapshot never came (lost in a move) is asked for it: without it changes wait to batch
    for (String ns : subscribed) {
      namespace(ns)
          .tell(
              views.has(ns)
                  ? new NamespaceActor.Resubscribe(key)
                  : new NamespaceActor.Subscribe(key));
    }
    delivery.nextRound();
    if (timers.isTimerActive("compile")) return this;
    delivery.resendMissing().forEach(node -> counted(node, "sent again"));
    return this;
  }

  /**
   * A node reports holding this policy or asks for it: if the caches lack it, look again shortly. A
   * rebuilt node asks for every policy its agent holds, so a deletion no controller routed (the
   * singleton was moving) is found here rather than a resync round later.
   */
  private void suspectGone() {
    if (gone() && !timers.isTimerActive("gone")) {
      timers.startSingleTimer("gone", new GoneCheck(), GONE_CHECK);
    }
  }

  /** This incarnation has a policy that the member's caches, listed, do not have. */
  private boolean gone() {
    return policy != null && deps.cache().synced() && deps.cache().policy(key).isEmpty();
  }

  /**
   * The policy left the caches and no deletion came. Counted as a repair only when the controller
   * had told this incarnation the policy: then its deletion was never routed (no controller ran).
   * An incarnation that read the policy from caches still lagging behind a deletion (started by a
   * node's report crossing the deletion) is the deletion in flight, not a loss.
   */
  private Behavior<Command> onGoneCheck() {
    if (!gone()) return this;
    getContext()
        .getLog()
        .info("netpol resync: policy {} was deleted without this actor hearing it: removing", key);
    if (routed) deps.repaired().run();
    return onDeleted(new PolicyDeleted(policy));
  }

  private void counted(String node, String repaired) {
    if (repaired == null) return;
    deps.repaired().run();
    getContext().getLog().info("netpol resync: policy {} {} to node {}", key, repaired, node);
  }

  private Behavior<Command> onRealised(Realised m) {
    delivery.realised(m.node(), m.generation());
    return this;
  }

  private Behavior<Command> onStatus(GetStatus m) {
    m.replyTo().tell(delivery.status());
    return this;
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<NamespaceActor.Command>
      namespace(String ns) {
    return deps.sharding().entityRefFor(NamespaceActor.TYPE_KEY, ns);
  }
}
