package io.netsvc.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netsvc.cluster.StartupException;
import io.netsvc.config.SimNodeSpec;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.HostProbe;
import io.netsvc.nodeagent.netpol.lab.NetnsLab;
import io.netsvc.nodeagent.netpol.model.HostCheck;
import io.netsvc.sim.controllers.SimControllers;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code netsvc sim --dataplane=netns}: every simulated node is a network namespace on a shared
 * fabric, and every pod the simulated kubelets start becomes a namespace {@code nsim-<ns>-<pod>}
 * with its pod IP, routed through its node, answering on the TCP and UDP ports its containers
 * declare. The node agents apply their rules inside the node namespaces, so NetworkPolicies are
 * enforced on real packets. A pod is marked Ready only once its namespace, routes and responders
 * are in place. With {@code --agents=process} this host's namespace is attached to the fabric at
 * {@link #hostAddress}, where the members listen for the agents in the node namespaces. Leftovers
 * of a crashed run are removed at start; everything is removed at stop. Traffic only ever flows
 * between these namespaces (and that one host address).
 */
final class SimLab implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimLab.class);
  static final String PREFIX = "nsim";

  private final NetnsLab lab;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sim-lab");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, String> podIps = new HashMap<>();
  private final Map<String, String> nodeIps = new LinkedHashMap<>();
  private SharedIndexInformer<Pod> informer;
  private KubernetesClient client;
  private String hostAddress;

  private SimLab(NetnsLab lab) {
    this.lab = lab;
  }

  /**
   * The address this host's namespace gets on the fabric with {@code --agents=process}: outside
   * every node's address, so the agents reach the members there and nowhere else.
   */
  static String hostAddressFor(List<String> nodeIps) {
    for (String candidate : List.of("172.30.255.254", "10.255.255.254", "192.168.255.254")) {
      if (!nodeIps.contains(candidate)) return candidate;
    }
    throw new IllegalArgumentException("no free host address for the lab");
  }

  /**
   * Fails at once (exit 2) when this host lacks a tool or the privileges the lab and its nodes'
   * rules need: before the API starts and before any namespace is touched, instead of nodes whose
   * policies look applied and are not.
   */
  static void requireHost() {
    HostProbe.problem(HostCheck.LAB_TOOLS)
        .ifPresent(
            p -> {
              throw new StartupException("--dataplane=netns: " + p, null, 2);
            });
  }

  /**
   * Creates the node namespaces, and with {@code attachHost} this host's link into their fabric;
   * pods follow once {@link #mirror} runs.
   */
  static SimLab start(List<SimNodeSpec> nodes, boolean attachHost) {
    try {
      List<String> removed = NetnsLab.removeLeftovers(PREFIX);
      if (!removed.isEmpty()) LOG.info("sim lab: removed {} leftover namespaces", removed.size());
      SimLab sim = new SimLab(new NetnsLab(PREFIX));
      for (int i = 0; i < nodes.size(); i++) {
        SimNodeSpec n = nodes.get(i);
        String ip =
            n.internalIPs().stream()
                .filter(a -> !a.contains(":"))
                .findFirst()
                .orElse("10.251." + (i / 250) + "." + (i % 250 + 1));
        sim.lab.addNode(n.name(), ip, SimControllers.podCidrs(i, false).get(0));
        sim.nodeIps.put(n.name(), ip);
      }
      if (attachHost) {
        sim.hostAddress = hostAddressFor(List.copyOf(sim.nodeIps.values()));
        sim.lab.attachHost(sim.hostAddress);
      }
      return sim;
    } catch (BackendException e) {
      throw new StartupException(
          "--dataplane=netns: " + e.getMessage().replaceFirst("^netsvc: ", ""), e);
    }
  }

  String nodeNamespace(String node) {
    return lab.nodeNamespace(node);
  }

  /** The node's IPv4 address on the fabric. */
  String nodeAddress(String node) {
    return nodeIps.get(node);
  }

  /** {@code ip netns exec <node's namespace>}: what runs a process on the node. */
  List<String> execIn(String netns) {
    return lab.execIn(netns);
  }

  /** This host's address on the fabric, or null when the host is not attached. */
  String hostAddress() {
    return hostAddress;
  }

  /** See {@link NetnsLab#probe}: from a pod of this lab to an address of this lab. */
  boolean probe(String ns, String pod, String ip, int port, String protocol, Duration timeout)
      throws BackendException {
    return lab.probe(ns, pod, ip, port, protocol, timeout);
  }

  /**
   * Follows the pods of the API: a Running pod with an IP gets its namespace, a gone pod loses it.
   */
  void mirror(KubernetesClient client) {
    this.client = client;
    informer = client.pods().inAnyNamespace().runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod p) {
            worker.execute(() -> sync(p, false));
          }

          @Override
          public void onUpdate(Pod o, Pod p) {
            worker.execute(() -> sync(p, false));
          }

          @Override
          public void onDelete(Pod p, boolean unknown) {
            worker.execute(() -> sync(p, true));
          }
        });
    informer.start();
  }

  private void sync(Pod p, boolean gone) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    String key = ns + "/" + name;
    String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
    boolean host = p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork());
    boolean wanted = !gone && !host && ip != null && !ip.contains(":");
    String have = podIps.get(key);
    try {
      if (have != null && (!wanted || !have.equals(ip))) {
        lab.removePod(ns, name);
        podIps.remove(key);
      }
      if (wanted && !ip.equals(podIps.get(key))) {
        // a port declared by two containers is one socket of the pod
        Set<Integer> tcp = new java.util.LinkedHashSet<>();
        Set<Integer> udp = new java.util.LinkedHashSet<>();
        for (Container c : p.getSpec().getContainers()) {
          if (c.getPorts() == null) continue;
          for (ContainerPort cp : c.getPorts()) {
            if (cp.getContainerPort() == null) continue;
            if ("UDP".equals(cp.getProtocol())) udp.add(cp.getContainerPort());
            else if (cp.getProtocol() == null || "TCP".equals(cp.getProtocol())) {
              tcp.add(cp.getContainerPort());
            }
          }
        }
        lab.addPod(ns, name, p.getSpec().getNodeName(), ip, List.copyOf(tcp), List.copyOf(udp));
        podIps.put(key, ip);
        markReady(ns, name, ip);
      }
    } catch (BackendException | RuntimeException e) {
      LOG.warn("sim lab: pod {}: {}", key, e.getMessage());
    }
  }

  /**
   * The pod answers now: Ready, as its readiness probe would say. Only for the incarnation that has
   * this IP, and retried when another writer got in between.
   */
  private void markReady(String ns, String name, String ip) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .pods()
            .inNamespace(ns)
            .withName(name)
            .editStatus(
                p -> {
                  if (p.getStatus() == null || !ip.equals(p.getStatus().getPodIP())) return p;
                  p.getStatus().getConditions().stream()
                      .filter(c -> READY.contains(c.getType()))
                      .forEach(c -> c.setStatus("True"));
                  p.getStatus().getContainerStatuses().forEach(c -> c.setReady(true));
                  return p;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return;
        if (attempt == 5) {
          LOG.warn(
              "sim lab: pod {}/{} answers but cannot be marked Ready: {}",
              ns,
              name,
              e.getMessage());
          return;
        }
      }
    }
  }

  private static final Set<String> READY = Set.of("Ready", "ContainersReady");

  @Override
  public void close() {
    if (informer != null) informer.close();
    worker.shutdownNow();
    lab.close();
  }
}
