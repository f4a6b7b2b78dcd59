package io.netsvc.cluster;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.SystemBackend;
import io.netsvc.nodeagent.netpol.model.Cleanup;
import java.io.PrintStream;

/**
 * {@code netsvc cleanup-network-policy}: K3s's documented clean-up after {@code
 * --disable-network-policy}, done safely — only our chains, the rules that jump to them and our
 * ipsets are removed, in {@code --noflush} transactions, so rules others add meanwhile survive.
 */
public final class NetpolCleanupCommand {
  private NetpolCleanupCommand() {}

  public static int run(PrintStream out) {
    try {
      SystemBackend kernel = new SystemBackend();
      kernel.ensureUsable();
      int rules = 0;
      int chains = 0;
      String sets = kernel.saveSets();
      for (IpFamily f : IpFamily.values()) {
        // the sets go after both families' rules no longer reference them
        Cleanup.Plan plan = Cleanup.plan(kernel.saveFilterTable(f), "");
        if (!plan.iptables().isEmpty()) kernel.restore(f, plan.iptables());
        rules += plan.rules();
        chains += plan.chains();
      }
      Cleanup.Plan setPlan = Cleanup.plan("", sets);
      if (!setPlan.ipset().isEmpty()) kernel.ipsetRestore(setPlan.ipset());
      out.printf(
          "netsvc: removed %d chains, %d rules in built-in chains and %d ipsets (%s)%n",
          chains, rules, setPlan.sets(), kernel.describe());
      return 0;
    } catch (BackendException e) {
      System.err.println(
          e.getMessage().startsWith("netsvc:") ? e.getMessage() : "netsvc: " + e.getMessage());
      return 1;
    }
  }
}
