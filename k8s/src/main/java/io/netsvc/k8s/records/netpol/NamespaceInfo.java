package io.netsvc.k8s.records.netpol;

import io.netsvc.k8s.records.CborSerializable;
import java.util.Map;

/** A Namespace: its name and labels (incl. {@code kubernetes.io/metadata.name}). */
public record NamespaceInfo(String name, Map<String, String> labels) implements CborSerializable {
  public NamespaceInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
