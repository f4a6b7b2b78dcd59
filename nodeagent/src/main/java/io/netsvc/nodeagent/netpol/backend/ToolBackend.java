package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.config.ip.IpFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel-tool backends: every call is one process ({@code iptables-restore --noflush}, {@code
 * ipset -exist restore}, the save tools), optionally wrapped in a command such as {@code ip netns
 * exec <ns>}. Tools are resolved once, on first use.
 */
abstract class ToolBackend implements RulesBackend {
  private final Duration timeout;
  private volatile Resolved resolved;

  private record Resolved(
      String version,
      String restore4,
      String restore6,
      String save4,
      String save6,
      String ipset,
      List<String> wrapper) {}

  ToolBackend(Duration timeout) {
    this.timeout = timeout;
  }

  /** The command prefix (e.g. {@code ip netns exec ns}); resolved tools are appended to it. */
  abstract List<String> wrapper() throws BackendException;

  /** Where the rules go, for {@link #describe()}. */
  abstract String where();

  /**
   * Checks that this process may program the kernel and that the tools exist; the message is one
   * line a user can act on.
   */
  public void ensureUsable() throws BackendException {
    tools();
  }

  private Resolved tools() throws BackendException {
    Resolved current = resolved;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (resolved == null) {
        resolved = resolve();
      }
      return resolved;
    }
  }

  private Resolved resolve() throws BackendException {
    // privileges only: the tools are resolved below, each with its own message
    Optional<String> problem = HostProbe.problem(List.of());
    if (problem.isPresent()) throw new BackendException("netsvc: " + problem.get());
    List<String> prefix = wrapper();
    String iptables = Tools.require(List.of("iptables"), "iptables");
    String version =
        CommandRunner.check(command(prefix, iptables, "--version"), null, timeout).strip();
    String variant = Tools.variantOf(version);
    return new Resolved(
        version,
        Tools.require(Tools.candidates("iptables-restore", variant), "iptables"),
        Tools.require(Tools.candidates("ip6tables-restore", variant), "iptables"),
        Tools.require(Tools.candidates("iptables-save", variant), "iptables"),
        Tools.require(Tools.candidates("ip6tables-save", variant), "iptables"),
        Tools.require(List.of("ipset"), "ipset"),
        prefix);
  }

  private static List<String> command(List<String> prefix, String tool, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(tool);
    command.addAll(List.of(args));
    return command;
  }

  @Override
  public void restore(IpFamily family, String noflushRestoreText) throws BackendException {
    Resolved t = tools();
    String tool = family == IpFamily.IPV4 ? t.restore4() : t.restore6();
    // -w: wait for the xtables lock (legacy) instead of failing when another tool holds it
    CommandRunner.check(
        command(t.wrapper(), tool, "--noflush", "-w", "5"), noflushRestoreText, timeout);
  }

  @Override
  public void ipsetRestore(String script) throws BackendException {
    Resolved t = tools();
    CommandRunner.check(command(t.wrapper(), t.ipset(), "-exist", "restore"), script, timeout);
  }

  @Override
  public String saveFilterTable(IpFamily family) throws BackendException {
    Resolved t = tools();
    String tool = family == IpFamily.IPV4 ? t.save4() : t.save6();
    return CommandRunner.check(command(t.wrapper(), tool, "-t", "filter"), null, timeout);
  }

  @Override
  public String saveSets() throws BackendException {
    Resolved t = tools();
    return CommandRunner.check(command(t.wrapper(), t.ipset(), "save"), null, timeout);
  }

  @Override
  public Map<String, Integer> setSizes() throws BackendException {
    Resolved t = tools();
    // the sets' headers only, each with its count: O(sets) where a save lists every member
    String list =
        CommandRunner.check(command(t.wrapper(), t.ipset(), "list", "-terse"), null, timeout);
    Optional<Map<String, Integer>> sizes = IpsetSizes.ofTerseList(list);
    return sizes.isPresent() ? sizes.get() : IpsetSizes.ofSave(saveSets());
  }

  @Override
  public String describe() {
    try {
      return tools().version() + where();
    } catch (BackendException e) {
      return "unusable" + where() + ": " + e.getMessage();
    }
  }
}
