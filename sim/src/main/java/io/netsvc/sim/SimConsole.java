package io.netsvc.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Commands typed into a running {@code netsvc sim}, one per line on its stdin, to inject faults by
 * hand or from a test: {@code api down} starts an API outage, {@code api up} ends it. Each command
 * is answered with one line; an unknown one too, never with a stack trace.
 */
public final class SimConsole {
  /** What the commands act on ({@link SimRunner} in {@code netsvc sim}). */
  public interface Api {
    /** Starts an outage; false if the API was down already. */
    boolean apiDown();

    /** Ends it; false if the API was up already. */
    boolean apiUp();
  }

  public static final String HELP =
      "commands: 'api down' (the API stops listening and drops every connection and watch,"
          + " keeping its objects), 'api up' (it listens again), 'help'";

  private final Api api;

  public SimConsole(Api api) {
    this.api = api;
  }

  /** The answer to one line, or null for a blank line. */
  public String handle(String line) {
    String cmd = line.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    return switch (cmd) {
      case "" -> null;
      case "api down" ->
          api.apiDown()
              ? "sim: API down (clients get connection refused until 'api up')"
              : "sim: API is down already";
      case "api up" -> api.apiUp() ? "sim: API up" : "sim: API is up already";
      case "help", "?" -> "sim: " + HELP;
      default -> "sim: unknown command '" + printable(line.strip()) + "'; " + HELP;
    };
  }

  /**
   * Reads commands from {@code in} until it ends, on a daemon thread, answering on {@code out}. An
   * input that cannot be read (a closed or detached terminal) ends the commands with one line.
   */
  public Thread start(InputStream in, PrintStream out) {
    ignoreBackgroundReadStop();
    Thread t = new Thread(() -> loop(in, out), "netsvc-sim-console");
    t.setDaemon(true);
    t.start();
    return t;
  }

  void loop(InputStream in, PrintStream out) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String answer;
        try {
          answer = handle(line);
        } catch (RuntimeException e) {
          answer = "sim: '" + printable(line.strip()) + "' failed: " + e.getMessage();
        }
        if (answer != null) {
          out.println(answer);
          out.flush();
        }
      }
    } catch (IOException e) {
      out.println("sim: stdin cannot be read (" + e.getMessage() + "); sim commands are off");
      out.flush();
    }
  }

  private static String printable(String s) {
    String p = s.replaceAll("\\p{Cntrl}", "?");
    return p.length() > 80 ? p.substring(0, 80) + "…" : p;
  }

  /**
   * A job started in the background of an interactive shell ({@code netsvc sim &}) that reads the
   * terminal is stopped by SIGTTIN, and the whole sim with it. Ignored, the read fails instead
   * (EIO) and only the commands are off.
   */
  @SuppressWarnings("sunapi")
  private static void ignoreBackgroundReadStop() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TTIN"), sun.misc.SignalHandler.SIG_IGN);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no such signal here (not POSIX): nothing stops a background reader
    }
  }
}
