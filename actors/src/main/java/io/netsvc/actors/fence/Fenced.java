package io.netsvc.actors.fence;

import io.netsvc.k8s.Fence;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs a controller singleton only while its member holds the {@link Fence}: two netsvc clusters
 * against one API must never both write. Until the fence is held it stands by (one log line per
 * holder, messages dropped: a singleton starts from the informers anyway); when it is held the
 * singleton starts as a child and gets every message; when it is lost the singleton is stopped (its
 * watch with it) and the gate stands by again.
 */
public final class Fenced {
  private Fenced() {}

  private record Held() {}

  private record Lost(String holder) {}

  /**
   * @param name the singleton's name, for the log
   * @param stop the singleton's stop message: handed to it, then the gate stops with it
   */
  public static <C> Behavior<C> create(
      String name, Fence fence, Supplier<Behavior<C>> singleton, C stop) {
    return Behaviors.<Object>setup(
            ctx -> {
              ActorRef<Object> self = ctx.getSelf();
              Fence.Membership membership =
                  fence.join(
                      new Fence.Listener() {
                        @Override
                        public void held() {
                          self.tell(new Held());
                        }

                        @Override
                        public void lost(String holder) {
                          self.tell(new Lost(holder));
                        }
                      });
              return new Gate<>(ctx, name, fence, singleton, stop, membership).standingBy(null);
            })
        .narrow();
  }

  private static final class Gate<C> {
    private final ActorContext<Object> ctx;
    private final String name;
    private final Fence fence;
    private final Supplier<Behavior<C>> singleton;
    private final C stop;
    private final Fence.Membership membership;

    Gate(
        ActorContext<Object> ctx,
        String name,
        Fence fence,
        Supplier<Behavior<C>> singleton,
        C stop,
        Fence.Membership membership) {
      this.ctx = ctx;
      this.name = name;
      this.fence = fence;
      this.singleton = singleton;
      this.stop = stop;
      this.membership = membership;
    }

    Behavior<Object> standingBy(String loggedHolder) {
      return Behaviors.receive(Object.class)
          .onMessage(Held.class, h -> active(ctx.spawn(singleton.get(), "active")))
          .onMessage(
              Lost.class,
              l -> {
                if (Objects.equals(l.holder(), loggedHolder)) return Behaviors.same();
                ctx.getLog()
                    .info("{}: standing by, {} is held by {}", name, fence.describe(), l.holder());
                return standingBy(l.holder());
              })
          .onSignal(PostStop.class, s -> leave())
          .onSignal(PreRestart.class, s -> leave())
          .onAnyMessage(m -> m.equals(stop) ? Behaviors.stopped() : Behaviors.same())
          .build();
    }

    @SuppressWarnings("unchecked")
    private Behavior<Object> active(ActorRef<C> running) {
      ctx.watch(running);
      ctx.getLog().info("{}: {} held, acting", name, fence.describe());
      return Behaviors.receive(Object.class)
          .onMessage(Held.class, h -> Behaviors.same())
          .onMessage(
              Lost.class,
              l -> {
                ctx.getLog()
                    .warn(
                        "{}: {} lost to {}, stopping until it is held again",
                        name,
                        fence.describe(),
                        l.holder());
                ctx.unwatch(running);
                ctx.stop(running);
                return standingBy(l.holder());
              })
          .onSignal(
              Terminated.class,
              t -> {
                // the singleton stopped by itself (its own supervision gave up): so do we, and the
                // gate's supervision starts both again
                throw new IllegalStateException(name + " stopped while its fence was held");
              })
          .onSignal(PostStop.class, s -> leave())
          .onSignal(PreRestart.class, s -> leave())
          .onAnyMessage(
              m -> {
                running.tell((C) m);
                return m.equals(stop) ? stopping(running) : Behaviors.same();
              })
          .build();
    }

    private Behavior<Object> stopping(ActorRef<C> running) {
      return Behaviors.receive(Object.class)
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .onSignal(PostStop.class, s -> leave())
          .onSignal(PreRestart.class, s -> leave())
          .onAnyMessage(m -> Behaviors.same())
          .build();
    }

    private Behavior<Object> leave() {
      membership.close();
      return Behaviors.same();
    }
  }
}
