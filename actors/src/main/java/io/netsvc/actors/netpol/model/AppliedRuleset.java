package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.Map;

/**
 * What a node's agent last applied, as it reported it: the generation of its ruleset, the policies
 * it holds (by key, at which generation; empty when the apply failed), and what the apply cost:
 * {@code applyMillis} in all, of it {@code planMillis} deciding what to write (pure code) and
 * {@code kernelMillis} in the kernel tools.
 *
 * <p>{@code ruleset} is empty in the agent's reports: the text is made on demand, when the
 * Management route asks the node's agent ({@code AgentProtocol.ShowRuleset}), and put here only in
 * the answer to that route ({@link #withRuleset}).
 */
public record AppliedRuleset(
    long generation,
    Map<String, Long> policies,
    String ruleset,
    long applyMillis,
    int chains,
    int rules,
    int sets,
    String error,
    long planMillis,
    long kernelMillis)
    implements CborSerializable {

  /** Without the stage times (0). */
  public AppliedRuleset(
      long generation,
      Map<String, Long> policies,
      String ruleset,
      long applyMillis,
      int chains,
      int rules,
      int sets,
      String error) {
    this(generation, policies, ruleset, applyMillis, chains, rules, sets, error, 0, 0);
  }

  /** The same report, showing {@code text} as its ruleset. */
  public AppliedRuleset withRuleset(String text) {
    return new AppliedRuleset(
        generation,
        policies,
        text,
        applyMillis,
        chains,
        rules,
        sets,
        error,
        planMillis,
        kernelMillis);
  }
}
