package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.CborSerializable;
import java.util.Map;

/**
 * What a node's agent last applied, as it reported it: the generation of its ruleset, the policies
 * it holds (by key, at which generation; empty when the apply failed), and what the apply cost.
 */
public record AppliedRuleset(
    long generation,
    Map<String, Long> policies,
    String ruleset,
    long applyMillis,
    int chains,
    int rules,
    int sets,
    String error)
    implements CborSerializable {}
