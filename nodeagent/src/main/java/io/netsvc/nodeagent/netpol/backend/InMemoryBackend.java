package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import java.util.EnumMap;
import java.util.Map;

/**
 * A kernel in memory for {@code netsvc sim} without root and for renderer tests: keeps chains,
 * rules and sets per family and rejects what the kernel would reject (a jump to a missing chain, a
 * match on a missing set, deleting a chain or set in use). A rejected iptables text changes
 * nothing, and neither does a rejected ipset script. A restore is applied to the live state with an
 * undo journal, and set and chain references are counted as rules change, so it costs what the text
 * touches, not the size of the node's ruleset. Rule text is kept as given (tokens re-joined), not
 * normalized the way {@code iptables-save} prints it ({@code -p TCP} stays {@code -p TCP}, no
 * implicit {@code -m tcp}).
 */
public final class InMemoryBackend implements RulesBackend {
  private final Map<IpFamily, IptablesState> tables = new EnumMap<>(IpFamily.class);
  private final IpsetState sets = new IpsetState();
  private int restores;

  public InMemoryBackend() {
    for (IpFamily family : IpFamily.values()) {
      tables.put(family, new IptablesState());
    }
  }

  @Override
  public synchronized void restore(IpFamily family, String noflushRestoreText)
      throws BackendException {
    IptablesState state = tables.get(family);
    boolean applied = false;
    try {
      IptablesRestore.apply(state, family, noflushRestoreText, sets::familyOf);
      applied = true;
    } catch (IllegalArgumentException e) {
      throw failure(tool(family) + "-restore", e);
    } finally {
      // any exception, not only a rejected line, leaves the state as it was
      if (applied) state.commit();
      else state.rollback();
    }
    restores++;
  }

  @Override
  public synchronized void ipsetRestore(String script) throws BackendException {
    boolean applied = false;
    try {
      IpsetRestore.apply(
          sets, script, name -> tables.values().stream().anyMatch(t -> t.usesSet(name)));
      applied = true;
    } catch (IllegalArgumentException e) {
      throw failure("ipset", e);
    } finally {
      if (applied) sets.commit();
      else sets.rollback();
    }
    restores++;
  }

  @Override
  public synchronized String saveFilterTable(IpFamily family) {
    return tables.get(family).save("filter", "netsvc in-memory " + tool(family) + "-save");
  }

  @Override
  public synchronized String saveSets() {
    return sets.save();
  }

  /** From the sets' own counts, as the kernel answers {@code ipset list -terse}: O(sets). */
  @Override
  public synchronized Map<String, Integer> setSizes() {
    return sets.sizes();
  }

  /** How many restore calls (iptables and ipset) succeeded, for tests that count kernel writes. */
  public synchronized int successfulRestores() {
    return restores;
  }

  @Override
  public String describe() {
    return "in-memory (simulated kernel)";
  }

  private static String tool(IpFamily family) {
    return family == IpFamily.IPV4 ? "iptables" : "ip6tables";
  }

  private static BackendException failure(String tool, IllegalArgumentException e) {
    String stderr = tool + ": " + e.getMessage() + "\n";
    return new BackendException(
        "netsvc: " + tool + " failed: " + e.getMessage().replace('\n', ' '), stderr);
  }
}
