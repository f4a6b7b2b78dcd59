package io.netsvc.config;

import java.util.Locale;

/** The subcommand of {@code netsvc}. */
public enum Mode {
  SERVER,
  AGENT,
  SIM;

  /** The subcommand as typed: "server", "agent", "sim". */
  public String command() {
    return name().toLowerCase(Locale.ROOT);
  }
}
