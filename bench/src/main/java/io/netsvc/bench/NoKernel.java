package io.netsvc.bench;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;

/**
 * A backend that is always empty and drops every write: the dataplane's own work (read parse,
 * render, plan, texts) without the tools, for timing its Java part alone.
 */
final class NoKernel implements RulesBackend {
  private static final String EMPTY_FILTER =
      "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

  @Override
  public void restore(IpFamily family, String noflushRestoreText) {}

  @Override
  public void ipsetRestore(String script) {}

  @Override
  public String saveFilterTable(IpFamily family) {
    return EMPTY_FILTER;
  }

  @Override
  public String saveSets() {
    return "";
  }

  @Override
  public String describe() {
    return "no kernel (writes dropped)";
  }
}
