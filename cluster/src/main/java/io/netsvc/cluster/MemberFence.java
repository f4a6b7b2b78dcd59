package io.netsvc.cluster;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.Fence;
import io.netsvc.k8s.LeaseFence;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The fence of a controller member's singletons ({@link Fence#NONE} until one is installed, and on
 * members without a Kubernetes client): a Lease named by {@code netsvc.fence} in application.conf,
 * whose holder is this member's Artery address. Every member address this member has seen in its
 * cluster is remembered, so a Lease left by a member of the same cluster (crashed, downed) is taken
 * over at once rather than after it expires.
 */
public final class MemberFence implements Extension {
  private static final ExtensionId<MemberFence> ID =
      new ExtensionId<>() {
        @Override
        public MemberFence createExtension(ActorSystem<?> system) {
          return new MemberFence();
        }
      };

  private final AtomicReference<Fence> fence = new AtomicReference<>(Fence.NONE);

  public static MemberFence get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public Fence fence() {
    return fence.get();
  }

  /** Installs the Lease fence from {@code netsvc.fence} (off: none); returns it to be closed. */
  static LeaseFence install(ActorSystem<?> system, KubernetesClient client) {
    Config c = system.settings().config().getConfig("netsvc.fence");
    if (!c.getBoolean("enabled")) return null;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    String self = Cluster.get(system).selfMember().address().toString();
    seen.add(self);
    system.systemActorOf(
        Behaviors.<ClusterEvent.MemberEvent>setup(
            ctx -> {
              Cluster.get(system)
                  .subscriptions()
                  .tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
              return Behaviors.receiveMessage(
                  e -> {
                    seen.add(e.member().address().toString());
                    return Behaviors.same();
                  });
            }),
        "fence-members",
        Props.empty());
    LeaseFence lease =
        new LeaseFence(
            client,
            c.getString("namespace"),
            c.getString("name"),
            self,
            new LeaseFence.Timing(
                c.getDuration("lease-duration"),
                c.getDuration("renew-deadline"),
                c.getDuration("retry-period")),
            seen::contains);
    get(system).fence.set(lease);
    return lease;
  }
}
