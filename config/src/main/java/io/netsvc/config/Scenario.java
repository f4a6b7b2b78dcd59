package io.netsvc.config;

import java.util.List;

/** The simulated cluster of {@code netsvc sim}: its nodes, in order. */
public record Scenario(List<SimNodeSpec> nodes) {}
