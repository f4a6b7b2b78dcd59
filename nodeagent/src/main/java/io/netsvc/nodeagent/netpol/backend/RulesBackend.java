package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import java.util.Map;

/**
 * Where a node's network-policy ruleset goes: the kernel of this host, the kernel of one network
 * namespace (the lab), or memory (the simulator and renderer tests). Every write is one tool call
 * per family per batch; reads return the tools' save formats so a caller can verify and repair
 * drift.
 */
public interface RulesBackend {

  /**
   * Applies {@code iptables-restore --noflush} text (tables listed in it are changed, chains
   * declared in it are flushed and refilled, nothing else is touched).
   *
   * @throws BackendException with the tool's stderr when the text is rejected; nothing is applied
   */
  void restore(IpFamily family, String noflushRestoreText) throws BackendException;

  /**
   * Runs an {@code ipset restore} script with {@code -exist} semantics (re-creating an identical
   * set or re-adding a member is not an error). After a failure the sets are in an unspecified
   * state (the tool stops at the bad line but may drop earlier buffered lines): read them back with
   * {@link #saveSets()} and repair.
   */
  void ipsetRestore(String script) throws BackendException;

  /** The current filter table of {@code family} in {@code iptables-save -t filter} format. */
  String saveFilterTable(IpFamily family) throws BackendException;

  /** Every ipset with its members in {@code ipset save} format. */
  String saveSets() throws BackendException;

  /**
   * Every ipset's member count, read without listing the members where the backend can (the drift
   * check reads this every {@code netsvc.netpol-verify-interval}).
   */
  default Map<String, Integer> setSizes() throws BackendException {
    return IpsetSizes.ofSave(saveSets());
  }

  /** One line for logs and the inspection routes, e.g. {@code "iptables 1.8.9 (nf_tables)"}. */
  String describe();
}
