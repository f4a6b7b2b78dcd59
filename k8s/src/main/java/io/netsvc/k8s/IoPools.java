package io.netsvc.k8s;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The thread pools the API writers block on, so that actors never do. */
final class IoPools {
  private IoPools() {}

  /** A fixed pool of daemon threads named {@code <prefix>-1}, {@code <prefix>-2}, … */
  static ExecutorService daemon(String prefix, int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
