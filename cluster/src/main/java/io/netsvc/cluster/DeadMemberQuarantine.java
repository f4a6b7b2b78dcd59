package io.netsvc.cluster;

import org.apache.pekko.actor.ActorRefProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.remote.RemoteActorRefProvider;
import scala.Option;

/**
 * Quarantines a dead member's incarnation, after it was downed: the cluster then counts it as
 * terminated, and the leader removes a member that is Down and terminated at its next tick. A
 * member that is Down but still reachable in the cluster's view is removed only once the failure
 * detector marks it unreachable (about 4.5 s after its last heartbeat), which is what the pod
 * witness exists to avoid. Pekko does the same itself when a new incarnation joins on the same
 * address. The quarantine names the incarnation (its uid): a new process on the same address is a
 * different incarnation and unaffected.
 *
 * <p>{@code RemoteActorRefProvider.quarantine} is Pekko's provider API, not its public cluster API;
 * where the provider is not a remote one (never in a netsvc member), this does nothing and the
 * removal waits for the failure detector.
 */
final class DeadMemberQuarantine {
  private DeadMemberQuarantine() {}

  /** Returns false when the member could not be quarantined (the removal then waits). */
  static boolean quarantine(ActorSystem<?> system, UniqueAddress member, String reason) {
    ActorRefProvider provider = ((ExtendedActorSystem) Adapter.toClassic(system)).provider();
    if (!(provider instanceof RemoteActorRefProvider remote)) return false;
    remote.quarantine(member.address(), Option.apply((Object) member.longUid()), reason);
    return true;
  }
}
