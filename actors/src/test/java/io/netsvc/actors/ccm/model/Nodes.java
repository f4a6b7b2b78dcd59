package io.netsvc.actors.ccm.model;

import io.netsvc.k8s.records.NodeAddress;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small Node builder and the compact address notation the tables use. */
final class Nodes {
  private Nodes() {}

  static final TaintInfo UNINITIALIZED =
      new TaintInfo(CloudNodeSync.UNINITIALIZED_TAINT, "true", "NoSchedule");

  String name = "n1";
  final Map<String, String> labels = new LinkedHashMap<>();
  final Map<String, String> annotations = new LinkedHashMap<>();
  List<NodeAddress> addresses = new ArrayList<>();
  final List<TaintInfo> taints = new ArrayList<>();
  String providerID;

  static Nodes named(String name) {
    Nodes n = new Nodes();
    n.name = name;
    return n;
  }

  Nodes label(String k, String v) {
    labels.put(k, v);
    return this;
  }

  Nodes annotation(String k, String v) {
    annotations.put(k, v);
    return this;
  }

  /** "InternalIP=10.0.0.1,Hostname=h1" */
  Nodes addresses(String compact) {
    addresses = addressList(compact);
    return this;
  }

  Nodes taint(TaintInfo t) {
    taints.add(t);
    return this;
  }

  Nodes providerID(String id) {
    providerID = id;
    return this;
  }

  NodeInfo build() {
    return new NodeInfo(
        name,
        Map.copyOf(labels),
        Map.copyOf(annotations),
        List.copyOf(addresses),
        List.copyOf(taints),
        providerID);
  }

  /** "Type=address,Type=address"; blank gives an empty list. */
  static List<NodeAddress> addressList(String compact) {
    List<NodeAddress> out = new ArrayList<>();
    if (compact == null || compact.isBlank()) return out;
    for (String item : compact.split(",")) {
      String[] kv = item.trim().split("=", 2);
      out.add(new NodeAddress(kv[0], kv[1]));
    }
    return out;
  }

  /** "k=v;k=v" into a map; blank gives an empty map. */
  static Map<String, String> pairs(String compact) {
    Map<String, String> out = new LinkedHashMap<>();
    if (compact == null || compact.isBlank()) return out;
    for (String item : compact.split(";")) {
      String[] kv = item.trim().split("=", 2);
      out.put(kv[0], kv[1]);
    }
    return out;
  }

  /** Tables write the file's newlines as '|'. */
  static String lines(String piped) {
    return piped == null ? "" : piped.replace('|', '\n');
  }
}
