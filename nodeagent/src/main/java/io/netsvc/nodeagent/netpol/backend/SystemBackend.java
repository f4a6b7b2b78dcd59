package io.netsvc.nodeagent.netpol.backend;

import java.time.Duration;
import java.util.List;

/**
 * This host's kernel, through {@code iptables-restore}/{@code ip6tables-restore} of the variant
 * that {@code iptables --version} names (nf_tables or legacy) and {@code ipset}. Needs root.
 */
public final class SystemBackend extends ToolBackend {

  public SystemBackend() {
    this(Duration.ofSeconds(30));
  }

  /** {@code timeout} bounds every tool call; a hung tool is killed and reported. */
  public SystemBackend(Duration timeout) {
    super(timeout);
  }

  @Override
  List<String> wrapper() {
    return List.of();
  }

  @Override
  String where() {
    return "";
  }
}
