package io.netsvc.launcher;

import io.netsvc.cluster.NetpolCleanupCommand;
import io.netsvc.cluster.Runners;
import io.netsvc.cluster.StartupException;
import io.netsvc.config.Cli;
import io.netsvc.config.Errors;
import io.netsvc.config.LogFormat;
import io.netsvc.config.ParseResult;
import io.netsvc.config.Settings;
import io.netsvc.sim.SimConsole;
import io.netsvc.sim.SimRunner;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** The {@code netsvc} launcher: {@code server}, {@code agent} or {@code sim}. */
public final class Main {
  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  private Main() {}

  public static void main(String[] args) {
    ParseResult parsed = Cli.parse(args, System.getenv());
    if (parsed instanceof ParseResult.Exit e) {
      System.out.print(e.stdout());
      System.err.print(e.stderr());
      System.exit(e.code());
    }
    Settings settings = ((ParseResult.Run) parsed).settings();
    // Before the first logger exists: logback.xml and logback-json.xml read it.
    System.setProperty("NETSVC_LOG_LEVEL", settings.logLevel().toUpperCase());
    if (settings.logFormat() == LogFormat.JSON && System.getProperty(LOGBACK_CONFIG) == null) {
      System.setProperty(LOGBACK_CONFIG, "logback-json.xml");
    }
    // Logback starts here, on one thread: SLF4J's warning about calls made by other threads while
    // it starts would be a line on stderr that is neither text format nor JSON.
    org.slf4j.LoggerFactory.getILoggerFactory();
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    try {
      System.exit(run(settings, System.out));
    } catch (StartupException e) {
      System.err.println("netsvc: " + e.getMessage());
      System.exit(e.code());
    }
  }

  static int run(Settings settings, PrintStream out) {
    if (settings.mode() == io.netsvc.config.Mode.CLEANUP_NETWORK_POLICY) {
      return NetpolCleanupCommand.run(out);
    }
    AutoCloseable running =
        switch (settings.mode()) {
          case SIM -> sim(settings, out);
          case SERVER -> Runners.server(settings, out);
          case AGENT -> Runners.agent(settings, out);
          case CLEANUP_NETWORK_POLICY -> throw new IllegalStateException("handled above");
        };
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("netsvc: stopping");
                  try {
                    running.close();
                  } catch (Exception e) {
                    System.err.println("netsvc: error while stopping: " + e);
                  }
                  stopped.countDown();
                },
                "netsvc-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static AutoCloseable sim(Settings settings, PrintStream out) {
    try {
      SimRunner sim = SimRunner.start(settings);
      sim.printBanner(out, settings.sim().scenario().nodes().size());
      new SimConsole(sim).start(System.in, out);
      return sim;
    } catch (StartupException e) {
      throw e;
    } catch (Exception e) {
      throw new StartupException("sim failed to start: " + Errors.rootMessage(e), e);
    }
  }
}
