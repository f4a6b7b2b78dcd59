package io.netsvc.nodeagent.netpol.lab;

import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.lab.LabWiring.NodeAddr;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes and pods as Linux network namespaces, for real packets on one machine. Node namespaces hang
 * off one bridge in the fabric namespace and route every other node's pod CIDR via that node; each
 * pod namespace has a veth into its node (pod IP /32, default route via the node), so pod-to-pod
 * traffic crosses the node's FORWARD chain. Pods answer on their declared TCP and UDP ports from
 * threads of this JVM (see {@link NetnsExecutor}). Nothing is connected to the host's namespace
 * unless {@link #attachHost} asks for it, and probes go only to addresses of this lab. Needs root.
 */
public final class NetnsLab implements AutoCloseable {
  private record Pod(String netns, NetnsExecutor executor, Responders responders) {}

  private final String prefix;
  private final String ip;
  private final LabWiring wiring;
  private final String fabric;
  private final Map<String, NodeAddr> nodes = new LinkedHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Set<InetAddress> addresses = ConcurrentHashMap.newKeySet();
  private final Set<String> created = Collections.synchronizedSet(new LinkedHashSet<>());
  private final Thread shutdownHook;
  private boolean closed;

  /**
   * Creates the fabric namespace {@code <prefix>_fabric}. Fails if it exists: a crashed run left
   * namespaces behind, which {@link #removeLeftovers(String)} deletes.
   */
  public NetnsLab(String prefix) throws BackendException {
    this.prefix = LabNames.checkPrefix(prefix);
    this.ip = NetnsTools.requireRootAndIp();
    this.wiring = new LabWiring(ip);
    this.fabric = LabNames.fabricNamespace(prefix);
    if (NetnsTools.exists(fabric)) {
      throw new BackendException(
          "netsvc: network namespaces of an earlier lab '" + prefix + "' exist; remove them first");
    }
    netnsAdd(fabric);
    try {
      wiring.fabric(fabric);
    } catch (BackendException e) {
      netnsDelete(fabric);
      throw e;
    }
    // a JVM stopped by a signal still deletes what it made; a killed one needs removeLeftovers
    shutdownHook = new Thread(this::close, "netns-lab-" + prefix + "-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** An IPv4-only node; see {@link #addNode(String, String, String, String, String)}. */
  public void addNode(String node, String nodeIPv4, String podCidrV4) throws BackendException {
    addNode(node, nodeIPv4, podCidrV4, null, null);
  }

  /**
   * Adds node namespace {@code <prefix>_node_<node>} with IP forwarding on, its addresses on the
   * fabric, and routes both ways between it and every node added before. The IPv6 pair may be null.
   */
  public synchronized void addNode(
      String node, String nodeIPv4, String podCidrV4, String nodeIPv6, String podCidrV6)
      throws BackendException {
    if (nodes.containsKey(node)) {
      throw new IllegalArgumentException("node already in the lab: " + node);
    }
    if ((nodeIPv6 == null) != (podCidrV6 == null)) {
      throw new IllegalArgumentException(
          "give both the node's IPv6 and its IPv6 pod CIDR, or neither");
    }
    // checked before any command runs: every word passed to ip is a name or a parsed address
    List<InetAddress> checked = NetnsTools.addresses(nodeIPv4, nodeIPv6);
    NetnsTools.cidr(podCidrV4);
    if (podCidrV6 != null) {
      NetnsTools.cidr(podCidrV6);
    }
    String netns = nodeNamespace(node);
    NodeAddr added = new NodeAddr(netns, nodeIPv4, podCidrV4, nodeIPv6, podCidrV6);
    netnsAdd(netns);
    List<String> sysctls = new ArrayList<>(List.of("ipv4/ip_forward"));
    if (nodeIPv6 != null) {
      sysctls.addAll(List.of("ipv6/conf/all/forwarding", "ipv6/conf/default/forwarding"));
    }
    NetnsTools.configure(netns, sysctls, nodeIPv6 != null);
    wiring.node(fabric, added);
    for (NodeAddr other : nodes.values()) {
      wiring.route(added, other);
      wiring.route(other, added);
    }
    nodes.put(node, added);
    addresses.addAll(checked);
  }

  /**
   * Connects the host's namespace, so a process here (a test) reaches the nodes' addresses: a veth
   * into the fabric bridge with {@code hostIPv4} on the host end and routes to every node added so
   * far, both ways. Add the nodes first. Only the lab's own addresses are routed to it; the link
   * goes when the lab closes. Returns the host end's name.
   */
  public synchronized String attachHost(String hostIPv4) throws BackendException {
    NetnsTools.addresses(hostIPv4, null);
    String link = LabNames.link('h', fabric);
    wiring.host(fabric, link, hostIPv4, List.copyOf(nodes.values()));
    return link;
  }

  /** An IPv4-only pod; see {@link #addPod(String, String, String, String, String, List, List)}. */
  public void addPod(
      String ns,
      String pod,
      String node,
      String ipv4,
      List<Integer> tcpPorts,
      List<Integer> udpPorts)
      throws BackendException {
    addPod(ns, pod, node, ipv4, null, tcpPorts, udpPorts);
  }

  /**
   * Adds pod namespace {@code <prefix>-<ns>-<pod>} on {@code node} with its addresses, routed
   * through the node, answering on the given ports. {@code ipv6} may be null.
   */
  public synchronized void addPod(
      String ns,
      String pod,
      String node,
      String ipv4,
      String ipv6,
      List<Integer> tcpPorts,
      List<Integer> udpPorts)
      throws BackendException {
    NodeAddr host = nodes.get(node);
    if (host == null) {
      throw new IllegalArgumentException("no such node in the lab: " + node);
    }
    List<InetAddress> checked = NetnsTools.addresses(ipv4, ipv6);
    if (ipv6 != null && host.ipv6() == null) {
      throw new IllegalArgumentException("node " + node + " has no IPv6 for pod " + ns + "/" + pod);
    }
    String netns = podNamespace(ns, pod);
    if (pods.containsKey(ns + "/" + pod) || created.contains(netns)) {
      throw new IllegalArgumentException("pod already in the lab (or same name): " + netns);
    }
    netnsAdd(netns);
    NetnsExecutor executor = null;
    try {
      NetnsTools.configure(netns, List.of(), ipv6 != null);
      wiring.pod(netns, host, ipv4, ipv6);
      executor = new NetnsExecutor(netns);
      Responders responders = Responders.start(executor, netns, tcpPorts, udpPorts);
      pods.put(ns + "/" + pod, new Pod(netns, executor, responders));
    } catch (BackendException | IOException | RuntimeException e) {
      if (executor != null) {
        executor.close();
      }
      netnsDelete(netns);
      throw e instanceof BackendException b
          ? b
          : new BackendException("netsvc: cannot set up pod " + netns + ": " + e.getMessage(), e);
    }
    addresses.addAll(checked);
  }

  /** Stops the pod's responders and deletes its namespace (and with it, its veth pair). */
  public synchronized void removePod(String ns, String pod) throws BackendException {
    Pod removed = pods.remove(ns + "/" + pod);
    if (removed == null) {
      throw new IllegalArgumentException("no such pod in the lab: " + ns + "/" + pod);
    }
    removed.responders().close();
    removed.executor().close();
    netnsDelete(removed.netns());
  }

  /**
   * Whether {@code fromNs/fromPod} reaches {@code toIp:port}: for TCP a completed handshake, for
   * UDP an echoed datagram, within {@code timeout}. {@code toIp} must be an address of this lab.
   */
  public boolean probe(
      String fromNs, String fromPod, String toIp, int port, String protocol, Duration timeout)
      throws BackendException {
    Pod from = pods.get(fromNs + "/" + fromPod);
    if (from == null) {
      throw new IllegalArgumentException("no such pod in the lab: " + fromNs + "/" + fromPod);
    }
    InetAddress to = NetnsTools.literal(toIp);
    if (!addresses.contains(to)) {
      throw new IllegalArgumentException("not an address of this lab, refusing to send: " + toIp);
    }
    boolean tcp = protocol.equalsIgnoreCase("TCP");
    if (!tcp && !protocol.equalsIgnoreCase("UDP")) {
      throw new IllegalArgumentException("protocol must be TCP or UDP: " + protocol);
    }
    // the socket is made on the pod's namespace thread, so it belongs to the pod's namespace for
    // good; the wait happens on the caller's thread, so probes from one pod can run side by side
    try {
      if (tcp) {
        return Probes.tcp(
            from.executor().call(SocketChannel::open, Duration.ofSeconds(5)), to, port, timeout);
      }
      return Probes.udp(
          from.executor().call(DatagramChannel::open, Duration.ofSeconds(5)), to, port, timeout);
    } catch (IOException e) {
      throw new BackendException("netsvc: probe from " + from.netns() + " failed: " + e, e);
    }
  }

  /** The command words that run a process inside {@code netns}, one of this lab's namespaces. */
  public List<String> execIn(String netns) {
    if (!namespaces().contains(netns)) {
      throw new IllegalArgumentException("not a namespace of this lab: " + netns);
    }
    return List.of(ip, "netns", "exec", netns);
  }

  public String prefix() {
    return prefix;
  }

  public String nodeNamespace(String node) {
    return LabNames.nodeNamespace(prefix, node);
  }

  public String podNamespace(String ns, String pod) {
    return LabNames.podNamespace(prefix, ns, pod);
  }

  public String fabricNamespace() {
    return fabric;
  }

  /** The namespaces this lab created and has not deleted, in creation order. */
  public List<String> namespaces() {
    synchronized (created) {
      return List.copyOf(created);
    }
  }

  /** Stops every responder and deletes every namespace this lab created. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this call is the hook itself
    }
    pods.values().forEach(p -> p.responders().close());
    pods.values().forEach(p -> p.executor().close());
    pods.clear();
    List<String> failures = new ArrayList<>();
    List<String> doomed = new ArrayList<>(namespaces());
    Collections.reverse(doomed);
    for (String netns : doomed) {
      try {
        netnsDelete(netns);
      } catch (BackendException e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("netsvc: lab clean-up incomplete: " + failures);
    }
  }

  /**
   * Deletes every network namespace whose name a lab with {@code prefix} would use, e.g. after a
   * crashed run. Returns the names it deleted.
   */
  public static List<String> removeLeftovers(String prefix) throws BackendException {
    return NetnsTools.removeLeftovers(prefix);
  }

  private void netnsAdd(String netns) throws BackendException {
    ip("netns", "add", netns);
    created.add(netns);
  }

  private void netnsDelete(String netns) throws BackendException {
    if (NetnsTools.exists(netns)) {
      ip("netns", "delete", netns);
    }
    created.remove(netns);
  }

  private void ip(String... args) throws BackendException {
    NetnsTools.run(ip, args);
  }
}
