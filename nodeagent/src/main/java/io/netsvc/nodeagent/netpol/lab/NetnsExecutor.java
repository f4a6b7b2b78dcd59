package io.netsvc.nodeagent.netpol.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * One JVM thread that has entered a named network namespace with setns(2). Sockets created by tasks
 * on this thread live in that namespace for their whole life, whichever thread later uses them, so
 * the lab serves and probes pods without helper processes. setns(CLONE_NEWNET) changes only the
 * calling thread, which is why the thread is never shared with other work.
 */
final class NetnsExecutor implements AutoCloseable {
  private static final int O_RDONLY_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;

  /** The three libc calls the lab needs. */
  public interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    int setns(int fd, int nstype);

    int close(int fd);
  }

  private static final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  }

  private final String netns;
  private final ExecutorService executor;
  private volatile Thread entered;

  /** Starts the thread and enters {@code /var/run/netns/<netns>}; fails if it cannot. */
  NetnsExecutor(String netns) throws IOException {
    this.netns = netns;
    this.executor =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "netns-" + netns);
              thread.setDaemon(true);
              return thread;
            });
    try {
      get(executor.submit(this::enter), Duration.ofSeconds(10));
    } catch (IOException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  private Void enter() throws IOException {
    LibC libc = Holder.LIBC;
    Runtime runtime = Runtime.getRuntime(libc);
    int fd = libc.open("/var/run/netns/" + netns, O_RDONLY_CLOEXEC);
    if (fd < 0) {
      throw new IOException("open netns " + netns + ": errno " + runtime.getLastError());
    }
    try {
      if (libc.setns(fd, CLONE_NEWNET) != 0) {
        throw new IOException("setns " + netns + ": errno " + runtime.getLastError());
      }
    } finally {
      libc.close(fd);
    }
    entered = Thread.currentThread();
    return null;
  }

  /** Runs {@code task} inside the namespace and waits at most {@code timeout} for it. */
  <T> T call(Callable<T> task, Duration timeout) throws IOException {
    return get(
        executor.submit(
            () -> {
              // never run a task on a thread that is not (or no longer) inside the namespace
              if (Thread.currentThread() != entered) {
                throw new IOException("thread is not inside netns " + netns);
              }
              return task.call();
            }),
        timeout);
  }

  private static <T> T get(java.util.concurrent.Future<T> future, Duration timeout)
      throws IOException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IOException("netns task did not finish within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
