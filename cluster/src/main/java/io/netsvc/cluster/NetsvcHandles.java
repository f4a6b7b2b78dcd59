package io.netsvc.cluster;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Hands a member's {@link ManagementDeps} to its Management routes, which Pekko Management builds
 * by reflection from the ActorSystem alone (so they cannot be given them as other actors are).
 * Published once, when the member is wired; until then the routes answer that netsvc is starting.
 */
public final class NetsvcHandles implements Extension {
  private static final ExtensionId<NetsvcHandles> ID =
      new ExtensionId<>() {
        @Override
        public NetsvcHandles createExtension(ActorSystem<?> system) {
          return new NetsvcHandles();
        }
      };

  private final AtomicReference<ManagementDeps> deps = new AtomicReference<>();

  public static NetsvcHandles get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void publish(ManagementDeps wired) {
    deps.set(wired);
  }

  /** Empty until the member is wired. */
  public Optional<ManagementDeps> deps() {
    return Optional.ofNullable(deps.get());
  }
}
