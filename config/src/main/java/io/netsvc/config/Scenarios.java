package io.netsvc.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenario {@code netsvc sim --nodes N} simulates when no scenario file is given. */
public final class Scenarios {

  private Scenarios() {}

  /**
   * Nodes {@code node-1..node-N}; node-i has InternalIP 172.30.0.(i+1) (continuing through
   * 172.30.0.0/16 past 254 nodes), the kubelet's hostname/os labels, and node-1 is the control
   * plane, as on a K3s server.
   */
  public static Scenario generate(int nodes) {
    if (nodes < 1 || nodes > ScenarioFile.MAX_NODES) {
      throw new IllegalArgumentException(
          "nodes must be 1.." + ScenarioFile.MAX_NODES + ": " + nodes);
    }
    List<SimNodeSpec> out = new ArrayList<>(nodes);
    for (int i = 1; i <= nodes; i++) {
      String name = "node-" + i;
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("kubernetes.io/hostname", name);
      labels.put("kubernetes.io/os", "linux");
      if (i == 1) {
        labels.put("node-role.kubernetes.io/control-plane", "true");
        labels.put("node-role.kubernetes.io/master", "true");
      }
      int host = i + 1;
      String ip = "172.30." + (host / 256) + "." + (host % 256);
      out.add(
          new SimNodeSpec(
              name, List.of(ip), List.of(), Collections.unmodifiableMap(labels), List.of()));
    }
    return new Scenario(List.copyOf(out));
  }
}
