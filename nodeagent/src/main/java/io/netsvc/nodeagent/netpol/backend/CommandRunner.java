package io.netsvc.nodeagent.netpol.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command without a shell: feeds {@code stdin}, collects stdout and stderr, and
 * kills the command when it outlives its timeout. Used by the backends and by the lab.
 */
public final class CommandRunner {
  private CommandRunner() {}

  /** What a finished command left behind. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The stderr (or stdout when stderr is empty) on one line, for error messages. */
    public String diagnostic() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.strip().replace('\n', ' ');
    }
  }

  /**
   * Runs {@code command}; {@code stdin} may be null (then the command sees end of input at once).
   *
   * @throws BackendException when the command cannot start or does not finish in time
   */
  public static Result run(List<String> command, String stdin, Duration timeout)
      throws BackendException {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new BackendException("netsvc: cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    // stdout and stderr are drained concurrently so a chatty tool never blocks on a full pipe
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the tool exited before reading all input; its exit code and stderr tell why
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new BackendException(
            "netsvc: " + String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BackendException("netsvc: interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new BackendException("netsvc: cannot read output of " + command.get(0), e);
    }
  }

  /** Like {@link #run} but a non-zero exit is an error carrying the tool's stderr. */
  public static String check(List<String> command, String stdin, Duration timeout)
      throws BackendException {
    Result result = run(command, stdin, timeout);
    if (!result.ok()) {
      throw new BackendException(
          "netsvc: "
              + String.join(" ", command)
              + " failed (exit "
              + result.exitCode()
              + "): "
              + result.diagnostic(),
          result.stderr());
    }
    return result.stdout();
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> future = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (stream) {
                future.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                future.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "netsvc-cmd-reader");
    reader.setDaemon(true);
    reader.start();
    return future;
  }
}
