package io.netsvc.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Fence} over a {@code coordination.k8s.io/v1} Lease, with fabric8's leader elector: held
 * while this member renews it. The member contends only while a singleton runs here (the oldest
 * controller member of its cluster); when the last one leaves it releases the Lease, so the next
 * singleton host (or another cluster) takes it at once. After losing it (renewals failed until the
 * renew deadline) it contends again after {@code retry}. Needs get, create and update on leases in
 * the namespace.
 */
public final class LeaseFence implements Fence, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseFence.class);

  /** Lease timings: see fabric8's LeaderElectionConfig (duration > renew deadline > retry). */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retry) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Timing timing;
  private final Predicate<String> ownCluster;
  private final ScheduledExecutorService timer;
  private final List<Listener> listeners = new ArrayList<>();
  private CompletableFuture<?> running;
  // the elector's own future: cancelling it releases the Lease (running is a stage after it)
  private CompletableFuture<?> electing;
  private long attempts;
  private boolean held;
  private String holder = "nobody yet";

  /**
   * @param identity this member, as the Lease's holderIdentity shows it (e.g. its Artery address)
   * @param ownCluster whether a holder is (or was) a member of this member's cluster: its Lease is
   *     taken over at once instead of waiting for it to expire, since the singletons moved here
   *     only after that member left or was downed
   */
  public LeaseFence(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Timing timing,
      Predicate<String> ownCluster) {
    this.ownCluster = ownCluster;
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.timing = timing;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "netsvc-lease-fence");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public String describe() {
    return "Lease " + namespace + "/" + name;
  }

  @Override
  public synchronized Membership join(Listener listener) {
    listeners.add(listener);
    if (held) listener.held();
    else listener.lost(holder);
    if (running == null) contend();
    return () -> leave(listener);
  }

  private synchronized void leave(Listener listener) {
    listeners.remove(listener);
    if (listeners.isEmpty() && running != null) {
      CompletableFuture<?> r = electing;
      running = null;
      electing = null;
      attempts++;
      held = false;
      // releaseOnCancel: the Lease is given up at once, not left to expire
      if (r != null) r.cancel(true);
    }
  }

  private synchronized void contend() {
    long attempt = ++attempts;
    CompletableFuture<?> r =
        CompletableFuture.runAsync(this::takeOverFromOwnCluster, timer)
            .thenCompose(v -> elect(attempt));
    running = r;
    // the elector ends when it lost the Lease (or failed): contend again while anyone is joined
    r.whenComplete(
        (v, e) -> timer.schedule(() -> again(r), timing.retry().toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * A Lease held by a member of our own cluster becomes ours (an update conditional on its
   * resourceVersion, so a concurrent change wins), after which the elector finds itself the holder.
   */
  private void takeOverFromOwnCluster() {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null || lease.getSpec() == null) return;
      String current = lease.getSpec().getHolderIdentity();
      if (current == null || current.equals(identity) || !ownCluster.test(current)) return;
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(identity);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      Integer transitions = lease.getSpec().getLeaseTransitions();
      lease.getSpec().setLeaseTransitions(transitions == null ? 1 : transitions + 1);
      client.leases().inNamespace(namespace).resource(lease).update();
      log.info("{}: taken over from {}, a member of this cluster", describe(), current);
    } catch (RuntimeException e) {
      log.debug("{}: no take-over: {}", describe(), e.toString());
    }
  }

  private CompletableFuture<?> elect(long attempt) {
    synchronized (this) {
      // left (and maybe joined again, with a newer attempt) meanwhile
      if (attempt != attempts) return CompletableFuture.completedFuture(null);
    }
    LeaderElector elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName("netsvc " + namespace + "/" + name)
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retry())
                    .withLock(new LeaseLock(namespace, name, identity))
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(this::started, this::stopped, this::newLeader))
                    .build())
            .build();
    synchronized (this) {
      if (attempt != attempts) return CompletableFuture.completedFuture(null);
      electing = elector.start();
      return electing;
    }
  }

  private synchronized void again(CompletableFuture<?> ended) {
    if (running == ended && !listeners.isEmpty()) contend();
  }

  private void started() {
    List<Listener> told;
    synchronized (this) {
      if (running == null) return;
      held = true;
      holder = identity;
      told = List.copyOf(listeners);
    }
    log.info("{}: held by this member ({}), acting", describe(), identity);
    told.forEach(Listener::held);
  }

  private void stopped() {
    List<Listener> told;
    synchronized (this) {
      if (!held) return;
      held = false;
      told = List.copyOf(listeners);
    }
    log.warn("{}: lost, standing by", describe());
    told.forEach(l -> l.lost(holder));
  }

  private void newLeader(String leader) {
    List<Listener> told;
    synchronized (this) {
      holder = leader;
      if (held || leader.equals(identity)) return;
      told = List.copyOf(listeners);
    }
    told.forEach(l -> l.lost(leader));
  }

  @Override
  public void close() {
    CompletableFuture<?> r;
    synchronized (this) {
      listeners.clear();
      r = electing;
      running = null;
      electing = null;
      held = false;
    }
    if (r != null) r.cancel(true);
    timer.shutdownNow();
  }
}
