package io.netsvc.nodeagent.netpol.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The kernel of one named network namespace ({@code ip netns exec <netns> …}): a simulated node of
 * the lab, programmed with exactly the commands a real node gets. Needs root.
 */
public final class NetnsBackend extends ToolBackend {
  private final String netns;

  public NetnsBackend(String netns) {
    this(netns, Duration.ofSeconds(30));
  }

  public NetnsBackend(String netns, Duration timeout) {
    super(timeout);
    if (netns.isEmpty() || netns.contains("/")) {
      throw new IllegalArgumentException("not a network namespace name: " + netns);
    }
    this.netns = netns;
  }

  public String netns() {
    return netns;
  }

  @Override
  List<String> wrapper() throws BackendException {
    String ip = Tools.require(List.of("ip"), "iproute2");
    if (!Files.exists(Path.of("/var/run/netns", netns))) {
      throw new BackendException("netsvc: network namespace " + netns + " does not exist");
    }
    return List.of(ip, "netns", "exec", netns);
  }

  @Override
  String where() {
    return " in netns " + netns;
  }
}
