package io.netsvc.config;

import java.util.Locale;

/** The subcommand of {@code netsvc}. */
public enum Mode {
  SERVER,
  AGENT,
  SIM,
  /** Removes the NetworkPolicy rules and sets of this node (after --disable-network-policy). */
  CLEANUP_NETWORK_POLICY;

  /** The subcommand as typed: "server", "agent", "sim", "cleanup-network-policy". */
  public String command() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The mode of a typed subcommand. */
  public static Mode ofCommand(String command) {
    return valueOf(command.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
