package io.netsvc.cluster;

import io.micrometer.core.instrument.Counter;
import io.netsvc.cluster.model.WitnessBook;
import io.netsvc.cluster.model.WitnessPod;
import io.netsvc.cluster.model.WitnessSelection;
import io.netsvc.k8s.Informers;
import io.netsvc.k8s.WatchKind;
import io.netsvc.k8s.WatchRegistration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The Kubernetes API as an outside witness of member deaths (docs/failover.md): on every controller
 * member, fed by the member's pod informer and its view of the cluster, it downs each member whose
 * pod the kubelet reports dead ({@link WitnessBook} decides) at once, instead of after the failure
 * detector, {@code stable-after} and the split-brain resolver.
 *
 * <p>Every controller member runs one rather than a singleton: a singleton lives on the oldest
 * member, and when that is the one that died the witness would be gone exactly when needed. All of
 * them act; a Down is idempotent (Pekko ignores a Down of a member already Down), so the cost is at
 * most one extra gossip change per survivor.
 */
final class PodWitness {
  private PodWitness() {}

  sealed interface Command {}

  /** A selected pod as the informer reports it, or its deletion. Local only. */
  record PodSeen(WitnessPod pod, boolean deleted) implements Command {}

  /** A member's status changed (Pekko's member event). Local only. */
  private record MemberChanged(Member member) implements Command {}

  /**
   * @param informers the member's shared informers (the pod informer is shared with ServiceLB and
   *     NetworkPolicy; the witness filters its namespace and labels)
   * @param downs counts the members this member downed
   */
  static Behavior<Command> create(
      Informers informers, WitnessSelection selection, String role, Counter downs) {
    return Behaviors.setup(
        ctx -> {
          Cluster cluster = Cluster.get(ctx.getSystem());
          int ownPort = cluster.selfMember().address().getPort().orElse(0);
          WitnessBook book = new WitnessBook(role, ownPort);
          Map<String, Member> members = new HashMap<>();
          // the members known now come first: a death reported by the first pod list is then
          // newer than them (WitnessBook's order guard), so dead pods found at start count
          for (Member m : cluster.state().getMembers()) seen(book, members, m);
          cluster
              .subscriptions()
              .tell(
                  Subscribe.create(
                      ctx.messageAdapter(
                          ClusterEvent.MemberEvent.class, e -> new MemberChanged(e.member())),
                      ClusterEvent.MemberEvent.class));
          ActorRef<Command> self = ctx.getSelf();
          WatchRegistration registration =
              informers.register(
                  List.of(
                      new Informers.Handler<>(
                          WatchKind.PODS,
                          p -> WitnessPod.from(p, selection),
                          (pod, deleted) -> self.tell(new PodSeen(pod, deleted)))));
          ctx.getLog()
              .info(
                  "pod witness on: pods {} in namespace {}, container {}, port {} (else {})",
                  selection.labels(),
                  selection.namespace(),
                  selection.container(),
                  selection.portName(),
                  ownPort);
          String selfId = cluster.selfMember().uniqueAddress().toString();
          return Behaviors.receive(Command.class)
              .onMessage(
                  PodSeen.class,
                  s -> {
                    book.pod(s.pod(), s.deleted());
                    act(ctx, book, members, selfId, cluster, downs);
                    return Behaviors.same();
                  })
              .onMessage(
                  MemberChanged.class,
                  c -> {
                    seen(book, members, c.member());
                    act(ctx, book, members, selfId, cluster, downs);
                    return Behaviors.same();
                  })
              .onSignal(
                  PostStop.class,
                  x -> {
                    registration.close();
                    return Behaviors.same();
                  })
              .onSignal(
                  PreRestart.class,
                  x -> {
                    registration.close(); // the restarted witness registers again
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private static void seen(WitnessBook book, Map<String, Member> members, Member m) {
    String id = m.uniqueAddress().toString();
    String status = m.status().toString();
    if ("Removed".equals(status)) members.remove(id);
    else members.put(id, m);
    book.member(
        new WitnessBook.MemberView(
            id,
            m.address().getHost().orElse(""),
            m.address().getPort().orElse(0),
            m.getRoles(),
            status));
  }

  private static void act(
      ActorContext<Command> ctx,
      WitnessBook book,
      Map<String, Member> members,
      String selfId,
      Cluster cluster,
      Counter downs) {
    for (WitnessBook.Verdict v : book.toDown(selfId)) {
      Member m = members.get(v.memberId());
      book.downed(v.memberId());
      if (m == null) continue;
      ctx.getLog()
          .info(
              "downing {} at once: its pod {} says it is dead ({})",
              m.address(),
              v.podKey(),
              v.reason());
      cluster.manager().tell(new Down(m.address()));
      // Down alone leaves the removal to the failure detector; terminated + Down is removed now
      DeadMemberQuarantine.quarantine(
          ctx.getSystem(), m.uniqueAddress(), "its pod " + v.podKey() + ": " + v.reason());
      downs.increment();
    }
  }
}
