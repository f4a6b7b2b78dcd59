package io.netsvc.config;

/**
 * What {@link Cli#parse} decided: run with these settings, or exit with this code and output (help,
 * version, or a one-line error).
 */
public sealed interface ParseResult {

  /** Start netsvc with these settings. */
  record Run(Settings settings) implements ParseResult {}

  /** Print {@code stdout} and {@code stderr} as they are, then exit with {@code code}. */
  record Exit(int code, String stdout, String stderr) implements ParseResult {}
}
