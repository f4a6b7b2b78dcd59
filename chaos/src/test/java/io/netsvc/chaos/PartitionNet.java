package io.netsvc.chaos;

import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.CommandRunner;
import io.netsvc.nodeagent.netpol.lab.NetnsLab;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every process of a {@link ProcessCluster} in a network namespace of its own, on a bridge in a hub
 * namespace ({@link NetnsLab}'s fabric), with an address on a private /24; the test's JVM reaches
 * them over one more veth from the host into the hub, which routes only those addresses. Names
 * carry this JVM's pid, so parallel runs never share a namespace. {@link #cut} drops packets
 * between one process and the others (inbound on both sides, so they vanish as on a broken link and
 * no sender gets an error), except its requests to the sim's API: the member loses its cluster, not
 * the API. Needs root, iproute2 and iptables.
 */
final class PartitionNet implements AutoCloseable {
  private static final String FAMILY = "nsvcpart-";
  private static final Path NETNS_DIR = Path.of("/var/run/netns");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final NetnsLab lab;
  private final String subnet;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final List<String> cutRules = new ArrayList<>();

  /** The namespaces of {@code processes} ("sim", "server-1", …) and the host's link. */
  PartitionNet(List<String> processes) throws BackendException {
    removeStale();
    long pid = ProcessHandle.current().pid();
    int third = freeThirdOctet((int) (pid % 200) + 20);
    subnet = "10.219." + third + ".";
    lab = new NetnsLab(FAMILY + pid);
    try {
      int i = 0;
      for (String p : processes) {
        String address = subnet + (i + 2);
        // the lab routes a pod CIDR to each node: an unused /28 per process, never a pod's
        lab.addNode(p, address, "10.220." + third + "." + (16 * i) + "/28");
        addresses.put(p, address);
        i++;
      }
      lab.attachHost(subnet + "1");
    } catch (BackendException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Where {@code process} runs: its address, started by {@code ip netns exec} (which execs). */
  ProcessCluster.Place place(String process) {
    String address = addresses.get(process);
    if (address == null) throw new IllegalArgumentException("no namespace for " + process);
    return new ProcessCluster.Place(
        address, List.of("ip", "netns", "exec", lab.nodeNamespace(process)));
  }

  /**
   * From now on no packet passes between {@code victim} and any other process, except TCP between
   * it and the sim's API port {@code apiPort}. The test's JVM still reaches everyone.
   */
  synchronized void cut(String victim, int apiPort) throws BackendException {
    String v = addresses.get(victim);
    for (Map.Entry<String, String> peer : addresses.entrySet()) {
      if (peer.getKey().equals(victim)) continue;
      String other = peer.getValue();
      if (peer.getKey().equals(ProcessCluster.SIM)) {
        rule(victim, "-s " + other + " -p tcp --sport " + apiPort + " -j ACCEPT");
        rule(peer.getKey(), "-s " + v + " -p tcp --dport " + apiPort + " -j ACCEPT");
      }
      rule(victim, "-s " + other + " -j DROP");
      rule(peer.getKey(), "-s " + v + " -j DROP");
    }
  }

  /** Every cut heals: the rules {@link #cut} added are deleted. */
  synchronized void heal() throws BackendException {
    for (String process : new ArrayList<>(addresses.keySet())) {
      iptables(process, "-F INPUT");
    }
    cutRules.clear();
  }

  /** The rules in force, for failure messages. */
  synchronized List<String> rules() {
    return List.copyOf(cutRules);
  }

  private void rule(String process, String words) throws BackendException {
    iptables(process, "-A INPUT " + words);
    cutRules.add(process + ": " + words);
  }

  private void iptables(String process, String words) throws BackendException {
    List<String> cmd =
        new ArrayList<>(List.of("ip", "netns", "exec", lab.nodeNamespace(process), "iptables"));
    cmd.add("-w");
    cmd.addAll(List.of(words.split(" ")));
    CommandRunner.check(cmd, null, TIMEOUT);
  }

  @Override
  public void close() {
    lab.close();
  }

  /** Namespaces of earlier runs of this test whose JVM is gone (killed before its clean-up). */
  private static void removeStale() throws BackendException {
    List<String> prefixes = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(NETNS_DIR, FAMILY + "*")) {
      for (Path entry : entries) {
        String rest = entry.getFileName().toString().substring(FAMILY.length());
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) end++;
        if (end == 0) continue;
        long pid = Long.parseLong(rest.substring(0, end));
        String prefix = FAMILY + pid;
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive && !prefixes.contains(prefix)) prefixes.add(prefix);
      }
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new BackendException("cannot list " + NETNS_DIR + ": " + e.getMessage(), e);
    }
    for (String prefix : prefixes) NetnsLab.removeLeftovers(prefix);
  }

  /** A /24 of 10.219.0.0/16 that no address of the host's namespace is in, from {@code start}. */
  private static int freeThirdOctet(int start) throws BackendException {
    String used = CommandRunner.check(List.of("ip", "-o", "-4", "addr", "show"), null, TIMEOUT);
    for (int i = 0; i < 230; i++) {
      int third = 20 + (start - 20 + i) % 230;
      if (!used.contains(" 10.219." + third + ".")) return third;
    }
    throw new BackendException("no free /24 in 10.219.0.0/16 on this host");
  }
}
