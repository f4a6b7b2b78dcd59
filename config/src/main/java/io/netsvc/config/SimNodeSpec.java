package io.netsvc.config;

import java.util.List;
import java.util.Map;

/**
 * One simulated node of {@code netsvc sim}: its name, addresses, labels and taints. Lists and maps
 * are never null.
 */
public record SimNodeSpec(
    String name,
    List<String> internalIPs,
    List<String> externalIPs,
    Map<String, String> labels,
    List<TaintSpec> taints) {

  /** A taint as written in a scenario file; value may be null. */
  public record TaintSpec(String key, String value, String effect) {}
}
