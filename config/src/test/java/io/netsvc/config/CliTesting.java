package io.netsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

/** Runs the parser against a fixed, fake host so that defaults do not depend on the machine. */
final class CliTesting {

  private CliTesting() {}

  static Host host(Path cwd) {
    return new Host(cwd, Path.of("/home/alice"), false, "worker-7");
  }

  static Settings run(Path cwd, Map<String, String> env, String... args) {
    ParseResult r = Cli.parse(args, env, host(cwd));
    if (r instanceof ParseResult.Exit e) {
      throw new AssertionError("expected Run for " + String.join(" ", args) + " but got " + e);
    }
    return ((ParseResult.Run) r).settings();
  }

  static Settings run(Path cwd, String... args) {
    return run(cwd, Map.of(), args);
  }

  /**
   * Asserts a usage error: exit 2, nothing on stdout, one "netsvc: " line on stderr; returns it.
   */
  static String usageError(Path cwd, Map<String, String> env, String... args) {
    ParseResult r = Cli.parse(args, env, host(cwd));
    ParseResult.Exit e = assertInstanceOf(ParseResult.Exit.class, r, () -> String.join(" ", args));
    assertEquals(2, e.code(), e.stderr());
    assertEquals("", e.stdout());
    assertTrue(e.stderr().startsWith("netsvc: "), e.stderr());
    assertTrue(e.stderr().endsWith("\n"), e.stderr());
    assertEquals(1, e.stderr().lines().count(), "exactly one line: " + e.stderr());
    return e.stderr().strip();
  }

  static String usageError(Path cwd, String... args) {
    return usageError(cwd, Map.of(), args);
  }
}
