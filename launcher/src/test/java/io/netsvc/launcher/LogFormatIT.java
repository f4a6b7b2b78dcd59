package io.netsvc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format}: with {@code json} the real {@code netsvc} command writes one JSON object
 * per stderr line, which a log collector can read without a parser of its own; a bad value is one
 * line on stderr and exit 2.
 */
class LogFormatIT {
  @TempDir Path dir;

  @Test
  void jsonLogsAreOneObjectPerLine() throws Exception {
    startAgentUntilItLogged(List.of(QUIET_LOGBACK), "--log-format=json");
    ObjectMapper json = new ObjectMapper();
    List<String> lines = StartupChecksIT.read(dir, "stderr").lines().toList();
    for (String line : lines) {
      JsonNode event;
      try {
        event = json.readTree(line);
      } catch (java.io.IOException e) {
        throw new AssertionError("not a JSON object: " + line, e);
      }
      assertThat(event.isObject()).as(line).isTrue();
      assertThat(event.path("level").asText()).as(line).isIn("ERROR", "WARN", "INFO", "DEBUG");
      assertThat(event.path("logger_name").asText()).as(line).isNotEmpty();
      assertThat(event.has("message")).as(line).isTrue();
      assertThat(event.has("@timestamp")).as(line).isTrue();
    }
  }

  /**
   * Text logs, and nothing of logback's own: with an appender declared but unused, logback printed
   * its whole configuration status (~20 lines) on stdout at every start of {@code netsvc sim}.
   */
  @Test
  void textLogsAreLinesWithoutLogbacksStatus() throws Exception {
    startAgentUntilItLogged(List.of());
    String stdout = StartupChecksIT.read(dir, "stdout");
    assertThat(stdout).doesNotContain("ch.qos.logback").contains("netsvc agent n1: management");
    String first = StartupChecksIT.read(dir, "stderr").lines().findFirst().orElseThrow();
    assertThat(first).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN |INFO |DEBUG) .+ - .+");
  }

  private static final String QUIET_LOGBACK =
      "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener";

  /** Starts an agent that cannot reach its seed, until it started and logged 3 lines; ends it. */
  private void startAgentUntilItLogged(List<String> jvmOpts, String... extraArgs) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "agent",
                "--node-name",
                "n1",
                "--seed",
                "127.0.0.1:1",
                "--disable-network-policy",
                "--cluster-port",
                "0",
                "--management-port",
                "0"));
    args.addAll(List.of(extraArgs));
    Process p = StartupChecksIT.start(dir, Map.of(), jvmOpts, args.toArray(String[]::new));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // started, and logged (Pekko's start, the seed it cannot reach)
      while (!(StartupChecksIT.read(dir, "stdout").contains("netsvc agent n1: management")
          && StartupChecksIT.read(dir, "stderr").lines().count() >= 3)) {
        assertThat(p.isAlive())
            .as("agent exited; stderr: %s", StartupChecksIT.read(dir, "stderr"))
            .isTrue();
        assertThat(System.nanoTime()).as("agent did not start and log").isLessThan(deadline);
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void aBadFormatIsOneLineAndExit2() throws Exception {
    Process p = StartupChecksIT.start(dir, Map.of(), "agent", "--log-format", "xml");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(StartupChecksIT.read(dir, "stderr"))
        .isEqualTo("netsvc: invalid --log-format 'xml': valid formats are text, json\n");
  }
}
