package io.netsvc.actors.node;

import java.time.Instant;

/**
 * The wall clock that stamps a NetworkPolicy fragment when its policy sends it and that the agent
 * reads when it arrives. Wall clock because the two may be different processes (a monotonic clock
 * does not cross them); between machines the difference includes their clock offset, which NTP
 * keeps to about a millisecond.
 */
public final class SendClock {
  private SendClock() {}

  /** Now, in microseconds since the epoch. */
  public static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /**
   * Seconds from {@code sentMicros} to now; negative when not stamped (0) or when the clocks
   * disagree by more than the time elapsed.
   */
  public static double since(long sentMicros) {
    if (sentMicros <= 0) return -1;
    return (micros() - sentMicros) / 1e6;
  }
}
