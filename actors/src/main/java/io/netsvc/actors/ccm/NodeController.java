package io.netsvc.actors.ccm;

import io.netsvc.actors.Known;
import io.netsvc.actors.ccm.model.NodeHosts;
import io.netsvc.actors.node.NodeActor;
import io.netsvc.actors.watch.WatchKeeper;
import io.netsvc.k8s.WatchHandler;
import io.netsvc.k8s.records.CborSerializable;
import io.netsvc.k8s.records.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Cluster singleton (controller role) that watches Nodes: hands each change to the node's NodeActor
 * (cloud-controller stub, agent annotations) and keeps the {@code NodeHosts} key of ConfigMap
 * {@code coredns} in sync with the nodes' InternalIPs and hostnames. NodeHosts writes go one at a
 * time, batched, and are re-checked every {@code hostsResync}, so a ConfigMap created later (by the
 * manifest deployer) is filled in promptly.
 */
public final class NodeController extends AbstractBehavior<NodeController.Command> {

  /** Messages of the controller; all local except {@link Stop} and {@link IsKnown}. */
  public sealed interface Command extends CborSerializable
      permits Changed, Gone, HostsDue, HostsWritten, IsKnown, Stop {}

  record Changed(NodeInfo node) implements Command {}

  record Gone(NodeInfo node) implements Command {}

  record HostsDue() implements Command {}

  record HostsWritten(Set<String> removed, String error) implements Command {}

  /** Whether the Node {@code name} exists (as the watch last showed it): the Management routes. */
  public record IsKnown(String name, ActorRef<Known> replyTo) implements Command {}

  /** Stops the controller and its watch (the singleton's stop message). */
  public record Stop() implements Command {}

  public static Behavior<Command> create(NodeControllerDeps deps) {
    return Behaviors.setup(
        ctx -> {
          var self = ctx.getSelf();
          WatchHandler<NodeInfo> handler =
              (n, gone) -> self.tell(gone ? new Gone(n) : new Changed(n));
          ctx.spawn(
              WatchKeeper.create(
                  "node controller", () -> deps.source().register(handler), deps.retryBackoff()),
              "watch");
          return Behaviors.withTimers(timers -> new NodeController(ctx, timers, deps));
        });
  }

  private final TimerScheduler<Command> timers;
  private final NodeControllerDeps deps;
  private final Map<String, NodeInfo> nodes = new TreeMap<>();
  private final Set<String> removed = new HashSet<>();
  private boolean hostsInFlight;
  private boolean hostsDirty;

  private NodeController(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, NodeControllerDeps deps) {
    super(ctx);
    this.timers = timers;
    this.deps = deps;
    if (deps.nodeHosts()) {
      timers.startTimerWithFixedDelay("hosts-resync", new HostsDue(), deps.hostsResync());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, this::onChanged)
        .onMessage(Gone.class, this::onGone)
        .onMessage(HostsDue.class, m -> writeHosts())
        .onMessage(HostsWritten.class, this::onHostsWritten)
        .onMessage(IsKnown.class, this::onIsKnown)
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onChanged(Changed m) {
    NodeInfo before = nodes.put(m.node().name(), m.node());
    removed.remove(m.node().name());
    deps.sharding()
        .entityRefFor(NodeActor.TYPE_KEY, m.node().name())
        .tell(new NodeActor.NodeObserved(m.node()));
    if (before == null || !before.addresses().equals(m.node().addresses())) hostsChanged();
    return this;
  }

  private Behavior<Command> onGone(Gone m) {
    nodes.remove(m.node().name());
    removed.add(m.node().name());
    hostsChanged();
    return this;
  }

  private void hostsChanged() {
    if (!deps.nodeHosts()) return;
    hostsDirty = true;
    // a burst of node changes becomes one write
    if (!hostsInFlight) timers.startSingleTimer("hosts", new HostsDue(), Duration.ofMillis(200));
  }

  private Behavior<Command> writeHosts() {
    if (!deps.nodeHosts() || deps.api() == null || hostsInFlight) return this;
    hostsDirty = false;
    hostsInFlight = true;
    List<NodeInfo> all = new ArrayList<>(nodes.values());
    Set<String> gone = Set.copyOf(removed);
    getContext()
        .pipeToSelf(
            deps.api()
                .updateNodeHosts(
                    deps.corednsNamespace(),
                    existing -> {
                      String text = existing == null ? "" : existing;
                      for (String name : gone) text = NodeHosts.remove(text, name);
                      for (NodeInfo n : all) text = NodeHosts.sync(text, n);
                      return existing == null && text.isEmpty() ? null : text;
                    }),
            (wrote, err) -> new HostsWritten(gone, err == null ? null : err.toString()));
    return this;
  }

  private Behavior<Command> onHostsWritten(HostsWritten m) {
    hostsInFlight = false;
    if (m.error() != null) {
      getContext().getLog().warn("updating coredns NodeHosts failed: {}", m.error());
      hostsDirty = true;
    } else {
      removed.removeAll(m.removed());
    }
    if (hostsDirty) timers.startSingleTimer("hosts", new HostsDue(), deps.retryBackoff());
    return this;
  }

  private Behavior<Command> onIsKnown(IsKnown m) {
    m.replyTo().tell(new Known(m.name(), nodes.containsKey(m.name())));
    return this;
  }
}
