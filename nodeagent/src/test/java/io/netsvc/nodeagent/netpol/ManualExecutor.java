package io.netsvc.nodeagent.netpol;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An executor that only queues: the test takes each task and runs it when it chooses, so it decides
 * how long a blocking dataplane call "takes" and what arrives while it runs.
 */
final class ManualExecutor implements Executor {
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  /** The next task, once one is submitted within {@code atMost}; null if none is. */
  Runnable poll(Duration atMost) {
    try {
      return tasks.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The next task; fails the test if none is submitted within {@code atMost}. */
  Runnable next(Duration atMost) {
    Runnable task = poll(atMost);
    if (task == null) throw new AssertionError("no task was submitted within " + atMost);
    return task;
  }
}
