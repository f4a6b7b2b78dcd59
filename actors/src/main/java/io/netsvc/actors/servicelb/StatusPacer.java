package io.netsvc.actors.servicelb;

import io.netsvc.actors.servicelb.model.LivePlan;
import java.time.Duration;
import java.util.Set;

/**
 * How long a ServiceActor holds back a partial status (svclb pods still coming up): 250 ms after
 * the first address, then twice as long after each partial write, up to 32 s; back to 250 ms when
 * an address went away or the granted nodes changed. A Service on N nodes whose pods turn Ready one
 * by one costs O(log N + minutes / 32 s) status writes, not one per 250 ms of its rollout with up
 * to N addresses each. The complete list is never held back (the actor writes it at once).
 */
final class StatusPacer {
  static final Duration FIRST = Duration.ofMillis(250);
  static final Duration CAP = Duration.ofSeconds(32);

  private Duration delay = FIRST;
  private LivePlan live;
  private long losses;
  private Set<String> granted;

  /**
   * Looks at the plan about to be written from; true when the pace started over (an address went
   * away since the last look, or a new plan granted other nodes).
   */
  boolean observe(LivePlan now) {
    boolean reset = now == live ? now.losses() != losses : !now.plan().granted().equals(granted);
    live = now;
    losses = now.losses();
    granted = now.plan().granted();
    if (reset) delay = FIRST;
    return reset;
  }

  /** How long to hold the next partial status back. */
  Duration delay() {
    return delay;
  }

  /** A partial status was written: the next one waits twice as long (up to the cap). */
  void wrote() {
    Duration next = delay.multipliedBy(2);
    delay = next.compareTo(CAP) > 0 ? CAP : next;
  }
}
