package io.netsvc.k8s.records.netpol;

import io.netsvc.k8s.records.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * A LabelSelector as written: {@code matchLabels} and {@code matchExpressions}. Empty selects
 * everything. Where the API allows the selector to be absent, the field holding it is null.
 */
public record SelectorInfo(Map<String, String> matchLabels, List<Requirement> matchExpressions)
    implements CborSerializable {

  /** One {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. */
  public record Requirement(String key, String operator, List<String> values)
      implements CborSerializable {
    public Requirement {
      values = values == null ? List.of() : List.copyOf(values);
    }
  }

  public static final SelectorInfo ALL = new SelectorInfo(Map.of(), List.of());

  public SelectorInfo {
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
  }
}
