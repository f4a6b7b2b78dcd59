package io.netsvc.bench;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import io.netsvc.k8s.records.netpol.NetpolPod.NamedPort;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.IpBlock;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Peer;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Port;
import io.netsvc.k8s.records.netpol.NetworkPolicyInfo.Rule;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The synthetic cluster of the NetworkPolicy benchmark, deterministic: 10 namespaces of 24 apps
 * each, {@code localPods} pods on the measured node {@link #NODE} (spread evenly over the
 * namespaces) and {@code remotePods} on 30 other nodes; pods carry Deployment-style labels and
 * named ports. {@link #policies(int)} yields a mix of the shapes real clusters use; the first n
 * policies are the same for every count, so sizes compare.
 */
final class NetpolWorkload {
  static final String NODE = "node-00";
  static final String POD_CIDR = "10.42.0.0/24";
  static final int REMOTE_NODES = 30;

  static final List<String> NAMESPACES =
      List.of(
          "kube-system",
          "monitoring",
          "ingress-nginx",
          "shop",
          "payments",
          "auth",
          "search",
          "media",
          "analytics",
          "data");
  private static final List<String> APPS =
      List.of(
          "web",
          "api",
          "worker",
          "db",
          "cache",
          "queue",
          "search",
          "auth",
          "cart",
          "checkout",
          "catalog",
          "images",
          "ledger",
          "notify",
          "report",
          "gateway",
          "session",
          "billing",
          "profile",
          "feed",
          "scheduler",
          "indexer",
          "exporter",
          "proxy");
  private static final List<String> FRONTEND = List.of("web", "gateway", "proxy");
  private static final List<String> DATA = List.of("db", "cache", "queue", "search", "indexer");

  final List<NamespaceInfo> namespaces = new ArrayList<>();
  final List<NetpolPod> pods = new ArrayList<>();

  NetpolWorkload(int localPods, int remotePods) {
    for (String ns : NAMESPACES) namespaces.add(new NamespaceInfo(ns, nsLabels(ns)));
    int[] nextIp = new int[REMOTE_NODES + 1];
    if (localPods > 240) throw new IllegalArgumentException("a /24 holds at most 240 pods here");
    for (int i = 0; i < localPods; i++) {
      int ns = i % NAMESPACES.size();
      int j = i / NAMESPACES.size();
      // each namespace has different apps here, so about half of the policies concern this node
      pods.add(pod(ns, (2 * j + ns) % APPS.size(), j, 0, 10 + nextIp[0]++));
    }
    for (int i = 0; i < remotePods; i++) {
      int ns = i % NAMESPACES.size();
      int k = i / NAMESPACES.size();
      // 11k + ns: every namespace's replicas land on every node, about evenly
      int node = 1 + (11 * k + ns) % REMOTE_NODES;
      if (nextIp[node] > 240) throw new IllegalArgumentException("too many pods per node");
      pods.add(pod(ns, k % APPS.size(), 1000 + i, node, 10 + nextIp[node]++));
    }
  }

  /** The {@code k}-th extra pod: an {@code api} replica of {@code shop} starting on this node. */
  static NetpolPod newPod(int k) {
    return pod(NAMESPACES.indexOf("shop"), APPS.indexOf("api"), 900_000 + k, 0, 200 + k);
  }

  private static Map<String, String> nsLabels(String ns) {
    String purpose =
        switch (ns) {
          case "monitoring" -> "monitoring";
          case "ingress-nginx" -> "ingress";
          case "kube-system" -> "system";
          default -> "workload";
        };
    String env = ns.equals("analytics") || ns.equals("data") ? "staging" : "prod";
    return Map.of("team", ns, "purpose", purpose, "env", env);
  }

  /** The app name as pods of {@code ns} are labelled (three namespaces run their own software). */
  static String app(int ns, int app) {
    if (app == 0 && NAMESPACES.get(ns).equals("kube-system")) return "coredns";
    if (app == 0 && NAMESPACES.get(ns).equals("monitoring")) return "prometheus";
    if (app == 0 && NAMESPACES.get(ns).equals("ingress-nginx")) return "controller";
    return APPS.get(app);
  }

  private static NetpolPod pod(int ns, int appIdx, int serial, int node, int host) {
    String app = app(ns, appIdx);
    String base = APPS.get(appIdx);
    String version = serial % 3 == 0 ? "v2" : "v1";
    String hash = Integer.toHexString((app + version).hashCode() & 0xfffffff);
    String tier = FRONTEND.contains(base) ? "frontend" : DATA.contains(base) ? "data" : "backend";
    Map<String, String> labels =
        new java.util.HashMap<>(
            Map.of(
                "app",
                app,
                "app.kubernetes.io/name",
                app,
                "app.kubernetes.io/part-of",
                NAMESPACES.get(ns),
                "tier",
                tier,
                "version",
                version,
                "pod-template-hash",
                hash));
    List<NamedPort> ports =
        new ArrayList<>(
            List.of(new NamedPort("http", "TCP", 8080), new NamedPort("metrics", "TCP", 9090)));
    switch (app) {
      case "db" -> ports.add(new NamedPort("postgres", "TCP", 5432));
      case "cache" -> ports.add(new NamedPort("redis", "TCP", 6379));
      case "queue" -> ports.add(new NamedPort("amqp", "TCP", 5672));
      case "coredns" -> {
        labels.put("k8s-app", "kube-dns");
        ports.add(new NamedPort("dns", "UDP", 53));
        ports.add(new NamedPort("dns-tcp", "TCP", 53));
      }
      default -> {}
    }
    String name = app + "-" + hash + "-" + Integer.toString(serial, 36);
    String nodeName = String.format("node-%02d", node);
    String ip = "10.42." + node + "." + host;
    return new NetpolPod(NAMESPACES.get(ns), name, nodeName, labels, ip, null, ports, false, false);
  }

  /** The first {@code count} policies of the mix. */
  List<NetworkPolicyInfo> policies(int count) {
    List<NetworkPolicyInfo> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(policy(i));
    return out;
  }

  /**
   * Policy {@code i} of namespace {@code i mod 10}; its shape is drawn with the weights written
   * next to each branch (percent), its selectors from the namespace's apps.
   */
  static NetworkPolicyInfo policy(int i) {
    Random r = new Random(1_000_003L * i + 7);
    int nsIdx = i % NAMESPACES.size();
    String ns = NAMESPACES.get(nsIdx);
    String app = app(nsIdx, r.nextInt(APPS.size()));
    String peer = app(nsIdx, r.nextInt(APPS.size()));
    String team = NAMESPACES.get(3 + r.nextInt(NAMESPACES.size() - 3));
    SelectorInfo target = sel("app", app);
    int kind = r.nextInt(100);
    String name;
    List<String> types;
    List<Rule> in = null;
    List<Rule> out = null;
    if (kind < 20) { // 20%: same-namespace client on numeric ports
      name = "allow-" + peer + "-to-" + app;
      types = List.of("Ingress");
      List<Port> ports = r.nextBoolean() ? tcp("8080") : tcp("8080", "8443");
      in = List.of(new Rule(List.of(pods(sel("app", peer))), ports));
    } else if (kind < 30) { // 10%: frontends of another team, named port
      name = "allow-" + team + "-to-" + app;
      types = List.of("Ingress");
      SelectorInfo pods = r.nextInt(4) == 0 ? null : sel("tier", "frontend");
      in = List.of(new Rule(List.of(new Peer(pods, sel("team", team), null)), named("http")));
    } else if (kind < 38) { // 8%: scraping by Prometheus
      name = "allow-metrics-" + i;
      types = List.of("Ingress");
      target = new SelectorInfo(Map.of(), List.of(oneOf("tier", "backend", "data")));
      Peer prom = new Peer(sel("app", "prometheus"), sel("purpose", "monitoring"), null);
      in = List.of(new Rule(List.of(prom), named("metrics")));
    } else if (kind < 46) { // 8%: from the ingress controller
      name = "allow-ingress-to-" + app;
      types = List.of("Ingress");
      Peer ctl = new Peer(null, sel("purpose", "ingress"), null);
      in = List.of(new Rule(List.of(ctl), tcp("8080", "8443")));
    } else if (kind < 54) { // 8%: from office and VPN ranges, node ports as a range
      name = "allow-office-to-" + app;
      types = List.of("Ingress");
      Peer office = cidr("10.0.0.0/8", "10.42.0.0/16", "10.43.0.0/16");
      Peer vpn = cidr("192.168." + (i % 250) + ".0/24");
      List<Port> ports = new ArrayList<>(tcp("443"));
      if (r.nextBoolean()) ports.add(new Port("TCP", "30000", 30100));
      in = List.of(new Rule(List.of(office, vpn), ports));
    } else if (kind < 66) { // 12%: to a database and to cluster DNS
      name = app + "-egress";
      types = List.of("Egress");
      boolean db = r.nextBoolean();
      Rule data =
          new Rule(
              List.of(pods(sel("app", db ? "db" : "cache"))), db ? tcp("5432") : named("redis"));
      Peer dns =
          new Peer(
              sel("k8s-app", "kube-dns"), sel("kubernetes.io/metadata.name", "kube-system"), null);
      out = List.of(data, new Rule(List.of(dns), List.of(udp("53"), tcp("53").get(0))));
    } else if (kind < 74) { // 8%: to the internet, not to private ranges
      name = app + "-internet";
      types = List.of("Egress");
      Peer net = cidr("0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
      out = List.of(new Rule(List.of(net), tcp("443")));
    } else if (kind < 84) { // 10%: both directions for one version of an app
      name = app + "-v2-" + i;
      types = List.of("Ingress", "Egress");
      target = new SelectorInfo(Map.of("app", app, "version", "v2"), List.of());
      SelectorInfo clients = new SelectorInfo(Map.of(), List.of(oneOf("app", peer, "gateway")));
      in = List.of(new Rule(List.of(pods(clients)), tcp("8080")));
      out =
          List.of(
              new Rule(List.of(pods(sel("app", peer))), named("http")),
              new Rule(List.of(new Peer(null, sel("team", team), null)), tcp("8080")));
    } else if (kind < 90) { // 6%: default deny
      name = "default-deny-" + i;
      target = SelectorInfo.ALL;
      types = r.nextBoolean() ? List.of("Ingress") : List.of("Ingress", "Egress");
    } else if (kind < 95) { // 5%: anything in the namespace
      name = "allow-same-namespace-" + app;
      types = List.of("Ingress");
      in = List.of(new Rule(List.of(pods(SelectorInfo.ALL)), List.of()));
    } else if (kind < 99) { // 4%: DNS anywhere
      name = app + "-dns";
      types = List.of("Egress");
      out = List.of(new Rule(List.of(), List.of(udp("53"), tcp("53").get(0))));
    } else { // 1%: a named port anywhere: resolved against every pod that exposes it
      name = app + "-http-anywhere";
      types = List.of("Egress");
      out = List.of(new Rule(List.of(), named("http")));
    }
    return new NetworkPolicyInfo(ns, name + "-" + i, "uid-" + i, Map.of(), target, types, in, out);
  }

  private static SelectorInfo sel(String key, String value) {
    return new SelectorInfo(Map.of(key, value), List.of());
  }

  private static Requirement oneOf(String key, String... values) {
    return new Requirement(key, "In", List.of(values));
  }

  private static Peer pods(SelectorInfo s) {
    return new Peer(s, null, null);
  }

  private static Peer cidr(String cidr, String... except) {
    return new Peer(null, null, new IpBlock(cidr, List.of(except)));
  }

  private static List<Port> tcp(String... ports) {
    List<Port> out = new ArrayList<>();
    for (String p : ports) out.add(new Port("TCP", p, null));
    return out;
  }

  private static Port udp(String port) {
    return new Port("UDP", port, null);
  }

  private static List<Port> named(String name) {
    return List.of(new Port("TCP", name, null));
  }
}
