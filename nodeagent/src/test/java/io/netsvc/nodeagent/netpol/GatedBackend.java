package io.netsvc.nodeagent.netpol;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.InMemoryBackend;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory kernel behind a gate the test controls: once {@link #close() closed}, a read of the
 * filter table says it began ({@link #reading}) and then waits until the test {@link #open opens}
 * the gate, as a slow {@code iptables-save} would. Writes pass at once.
 */
final class GatedBackend extends ForwardingBackend {
  final InMemoryBackend kernel;
  private volatile CountDownLatch gate;
  private volatile CountDownLatch reading = new CountDownLatch(1);

  GatedBackend() {
    this(new InMemoryBackend());
  }

  private GatedBackend(InMemoryBackend kernel) {
    super(kernel);
    this.kernel = kernel;
  }

  /** From now on reads of the filter table wait for {@link #open}. */
  void close() {
    reading = new CountDownLatch(1);
    gate = new CountDownLatch(1);
  }

  /** Lets the waiting read (and later ones) through. */
  void open() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) g.countDown();
  }

  /** Waits until a read has begun behind the closed gate. */
  void awaitReading() throws InterruptedException {
    if (!reading.await(10, TimeUnit.SECONDS)) throw new AssertionError("no read began");
  }

  @Override
  public String saveFilterTable(IpFamily family) throws BackendException {
    CountDownLatch g = gate;
    if (g != null) {
      reading.countDown();
      try {
        if (!g.await(10, TimeUnit.SECONDS)) throw new BackendException("the gate stayed closed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException("interrupted");
      }
    }
    return super.saveFilterTable(family);
  }

  @Override
  public String describe() {
    return "gated " + kernel.describe();
  }
}
