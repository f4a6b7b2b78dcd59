package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A kernel in memory for {@code netsvc sim} without root and for renderer tests: keeps chains,
 * rules and sets per family and rejects what the kernel would reject (a jump to a missing chain, a
 * match on a missing set, deleting a chain or set in use). A rejected iptables text changes
 * nothing. Rule text is kept as given (tokens re-joined), not normalized the way {@code
 * iptables-save} prints it ({@code -p TCP} stays {@code -p TCP}, no implicit {@code -m tcp}).
 */
public final class InMemoryBackend implements RulesBackend {
  private final Map<IpFamily, IptablesState> tables = new EnumMap<>(IpFamily.class);
  private IpsetState sets = new IpsetState();
  private int restores;

  public InMemoryBackend() {
    for (IpFamily family : IpFamily.values()) {
      tables.put(family, new IptablesState());
    }
  }

  @Override
  public synchronized void restore(IpFamily family, String noflushRestoreText)
      throws BackendException {
    IptablesState staged = tables.get(family).copy();
    try {
      IptablesRestore.apply(staged, family, noflushRestoreText, sets::familyOf);
    } catch (IllegalArgumentException e) {
      throw failure(tool(family) + "-restore", e);
    }
    tables.put(family, staged);
    restores++;
  }

  @Override
  public synchronized void ipsetRestore(String script) throws BackendException {
    Set<String> inUse = new TreeSet<>();
    tables.values().forEach(t -> inUse.addAll(t.referencedSets()));
    IpsetState staged = sets.copy();
    try {
      IpsetRestore.apply(staged, script, inUse);
    } catch (IllegalArgumentException e) {
      throw failure("ipset", e);
    }
    sets = staged;
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
