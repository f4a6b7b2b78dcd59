package io.netsvc.nodeagent.netpol.conformance;

import static io.netsvc.nodeagent.netpol.conformance.Policies.ANY;
import static io.netsvc.nodeagent.netpol.conformance.Policies.both;
import static io.netsvc.nodeagent.netpol.conformance.Policies.cidr;
import static io.netsvc.nodeagent.netpol.conformance.Policies.egress;
import static io.netsvc.nodeagent.netpol.conformance.Policies.expr;
import static io.netsvc.nodeagent.netpol.conformance.Policies.from;
import static io.netsvc.nodeagent.netpol.conformance.Policies.ingress;
import static io.netsvc.nodeagent.netpol.conformance.Policies.labels;
import static io.netsvc.nodeagent.netpol.conformance.Policies.named;
import static io.netsvc.nodeagent.netpol.conformance.Policies.namespaces;
import static io.netsvc.nodeagent.netpol.conformance.Policies.ns;
import static io.netsvc.nodeagent.netpol.conformance.Policies.on;
import static io.netsvc.nodeagent.netpol.conformance.Policies.pod;
import static io.netsvc.nodeagent.netpol.conformance.Policies.pods;
import static io.netsvc.nodeagent.netpol.conformance.Policies.policy;
import static io.netsvc.nodeagent.netpol.conformance.Policies.port;
import static io.netsvc.nodeagent.netpol.conformance.Policies.rule;
import static io.netsvc.nodeagent.netpol.conformance.Policies.tcp;
import static io.netsvc.nodeagent.netpol.conformance.Step.apply;
import static io.netsvc.nodeagent.netpol.conformance.Step.applyWithIps;
import static io.netsvc.nodeagent.netpol.conformance.Step.probe;

import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.List;

/**
 * The upstream e2e NetworkPolicy cases (kubernetes/kubernetes
 * test/e2e/network/netpol/network_policy.go, docs/k3s-and-kube-router.md) and their UDP variants,
 * as data. Policies live in namespace x unless stated; probes go to TCP port 80 unless stated.
 */
final class UpstreamCases {
  private UpstreamCases() {}

  record Case(int number, String name, List<Step> steps) {
    @Override
    public String toString() {
      return number + " " + name;
    }
  }

  static final SelectorInfo ALL = SelectorInfo.ALL;

  static Truth allowed() {
    return new Truth(true);
  }

  static Step tcp80(Truth t) {
    return Step.tcp(80, t);
  }

  static Step tcp81(Truth t) {
    return Step.tcp(81, t);
  }

  static List<Case> all() {
    return List.of(
        new Case(
            1,
            "default-deny-ingress",
            List.of(
                apply(ingress("x", "deny-ingress", ALL)),
                tcp80(allowed().expect("*", "x/*", false)))),
        new Case(
            2,
            "default-deny-all",
            List.of(
                apply(policy("x", "deny-all", ALL, List.of(), List.of())),
                tcp80(allowed().expect("*", "x/*", false).expect("x/*", "*", false)))),
        new Case(
            3,
            "allow from pods within namespace by PodSelector",
            List.of(
                apply(ingress("x", "x-a-from-b", pod("a"), from(pods(pod("b"))))),
                tcp80(allowed().expect("*", "x/a", false).expect("x/b", "x/a", true)))),
        new Case(
            4,
            "allow ingress for a target (pod and namespace selector {})",
            List.of(
                apply(ingress("x", "deny-ingress", ALL)),
                apply(ingress("x", "allow-x-a", pod("a"), from(both(ALL, ALL)))),
                tcp80(allowed().expect("*", "x/b", false).expect("*", "x/c", false)))),
        new Case(
            5,
            "allow from pods in all namespaces",
            List.of(
                apply(ingress("x", "x-a-from-all-ns", pod("a"), from(namespaces(ALL)))),
                tcp80(allowed()))),
        new Case(
            6,
            "allow only from a different namespace",
            List.of(
                apply(ingress("x", "x-a-from-y", pod("a"), from(namespaces(ns("y"))))),
                tcp80(allowed().expect("x/*", "x/a", false).expect("z/*", "x/a", false)))),
        new Case(
            7,
            "PodSelector with MatchExpressions",
            List.of(
                apply(ingress("x", "x-a-in-b", pod("a"), from(pods(expr("pod", "In", "b"))))),
                tcp80(allowed().expect("*", "x/a", false).expect("x/b", "x/a", true)))),
        new Case(
            8,
            "NamespaceSelector with MatchExpressions",
            List.of(
                apply(
                    ingress("x", "x-a-ns-in-y", pod("a"), from(namespaces(expr("ns", "In", "y"))))),
                tcp80(allowed().expect("x/*", "x/a", false).expect("z/*", "x/a", false)))),
        new Case(
            9,
            "PodSelector or NamespaceSelector",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-or",
                        pod("a"),
                        from(namespaces(expr("ns", "NotIn", "x")), pods(pod("b"))))),
                tcp80(allowed().expect("x/c", "x/a", false)))),
        new Case(
            10,
            "PodSelector and NamespaceSelector",
            List.of(
                apply(
                    ingress(
                        "x", "x-a-and", pod("a"), from(both(expr("ns", "NotIn", "x"), pod("b"))))),
                tcp80(
                    allowed()
                        .expect("*", "x/a", false)
                        .expect("y/b", "x/a", true)
                        .expect("z/b", "x/a", true)))),
        new Case(
            11,
            "Multiple PodSelectors and NamespaceSelectors",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-multi",
                        pod("a"),
                        from(both(expr("ns", "NotIn", "x"), expr("pod", "In", "b", "c"))))),
                tcp80(
                    allowed()
                        .expect("x/*", "x/a", false)
                        .expect("y/a", "x/a", false)
                        .expect("z/a", "x/a", false)))),
        new Case(
            12,
            "any PodSelectors",
            List.of(
                apply(ingress("x", "x-a-b-or-c", pod("a"), from(pods(pod("b")), pods(pod("c"))))),
                tcp80(
                    allowed()
                        .expect("*", "x/a", false)
                        .expect("x/b", "x/a", true)
                        .expect("x/c", "x/a", true)))),
        new Case(
            13,
            "pod in a different namespace (Pod and NamespaceSelector)",
            List.of(
                apply(ingress("x", "x-a-from-y-a", pod("a"), from(both(ns("y"), pod("a"))))),
                tcp80(allowed().expect("*", "x/a", false).expect("y/a", "x/a", true)))),
        new Case(14, "based on Ports", ports14("TCP")),
        new Case(
            15,
            "multiple stacked policies with overlapping podSelectors",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-81-from-y",
                        pod("a"),
                        rule(List.of(namespaces(ns("y"))), List.of(tcp(81))))),
                tcp80(allowed().expect("*", "x/a", false)),
                apply(
                    ingress(
                        "x",
                        "x-a-80-from-y",
                        pod("a"),
                        rule(List.of(namespaces(ns("y"))), List.of(tcp(80))))),
                tcp80(allowed().expect("*", "x/a", false).expect("y/*", "x/a", true)))),
        new Case(
            16,
            "allow-all",
            List.of(
                apply(ingress("x", "allow-all", ALL, ANY)), tcp80(allowed()), tcp81(allowed()))),
        new Case(
            17,
            "ingress on one named port",
            List.of(
                apply(ingress("x", "allow-81-named", ALL, on(named("serve-81-tcp")))),
                tcp81(allowed()),
                tcp80(allowed().expect("*", "x/*", false)))),
        new Case(
            18,
            "ingress from namespace on one named port",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-80-named-from-y",
                        pod("a"),
                        rule(List.of(namespaces(ns("y"))), List.of(named("serve-80-tcp"))))),
                tcp80(allowed().expect("*", "x/a", false).expect("y/*", "x/a", true)),
                tcp81(allowed().expect("*", "x/a", false)))),
        new Case(
            19,
            "egress on one named port",
            List.of(
                apply(egress("x", "egress-80-named", ALL, on(named("serve-80-tcp")))),
                tcp80(allowed()),
                tcp81(allowed().expect("x/*", "*", false)))),
        new Case(
            20,
            "enforce updated policy",
            List.of(
                apply(ingress("x", "allow-then-deny", ALL, ANY)),
                tcp80(allowed()),
                apply(ingress("x", "allow-then-deny", ALL)),
                tcp80(allowed().expect("*", "x/*", false)))),
        new Case(
            21,
            "allow from updated namespace",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-from-updated-ns",
                        pod("a"),
                        from(namespaces(labels("ns2", "updated"))))),
                tcp80(allowed().expect("*", "x/a", false)),
                new Step.LabelNamespace("y", "ns2", "updated"),
                tcp80(allowed().expect("*", "x/a", false).expect("y/*", "x/a", true)))),
        new Case(
            22,
            "allow from updated pod",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-from-updated-pod",
                        pod("a"),
                        from(pods(labels("pod", "b", "pod2", "updated"))))),
                tcp80(allowed().expect("*", "x/a", false)),
                new Step.LabelPod("x/b", "pod2", "updated"),
                tcp80(allowed().expect("*", "x/a", false).expect("x/b", "x/a", true)))),
        new Case(
            23,
            "deny from other namespaces",
            List.of(
                apply(ingress("x", "same-ns-only", ALL, from(pods(ALL)))),
                tcp80(allowed().expect("y/*", "x/*", false).expect("z/*", "x/*", false)))),
        new Case(
            24,
            "deny ingress to updated pod",
            List.of(
                apply(ingress("x", "isolate-labelled", labels("target", "isolated"))),
                tcp80(allowed()),
                new Step.LabelPod("x/a", "target", "isolated"),
                tcp80(allowed().expect("*", "x/a", false)))),
        new Case(
            25,
            "deny egress by PodSelector",
            List.of(
                apply(egress("x", "x-a-no-egress", pod("a"))),
                tcp80(allowed().expect("x/a", "*", false)))),
        new Case(
            26,
            "deny egress from all pods in a namespace",
            List.of(
                apply(egress("x", "no-egress", ALL)), tcp80(allowed().expect("x/*", "*", false)))),
        new Case(
            27,
            "Ingress and Egress together",
            List.of(
                apply(
                    policy(
                        "x",
                        "x-a-in-out",
                        pod("a"),
                        List.of(from(pods(pod("b")))),
                        List.of(on(tcp(80))))),
                tcp80(allowed().expect("*", "x/a", false).expect("x/b", "x/a", true)),
                tcp81(
                    allowed()
                        .expect("*", "x/a", false)
                        .expect("x/b", "x/a", true)
                        .expect("x/a", "*", false)))),
        new Case(
            28,
            "client-side egress deny despite server allow",
            List.of(
                apply(egress("x", "x-a-to-y-a", pod("a"), from(both(ns("y"), pod("a"))))),
                apply(ingress("y", "y-a-from-x-a", pod("a"), from(both(ns("x"), pod("a"))))),
                apply(ingress("y", "y-b-from-x-a", pod("b"), from(both(ns("x"), pod("a"))))),
                tcp80(
                    allowed()
                        .expect("x/a", "*", false)
                        .expect("*", "y/a", false)
                        .expect("*", "y/b", false)
                        .expect("x/a", "y/a", true)))),
        new Case(
            29,
            "egress to a different namespace (Pod and NamespaceSelector)",
            List.of(
                apply(egress("x", "x-a-to-y-a", pod("a"), from(both(ns("y"), pod("a"))))),
                tcp80(allowed().expect("x/a", "*", false).expect("x/a", "y/a", true)))),
        new Case(
            30,
            "any port on a specific protocol",
            List.of(
                apply(ingress("x", "x-a-tcp-only", pod("a"), on(port("TCP", null)))),
                tcp80(allowed()),
                tcp81(allowed()),
                probe("UDP", 80, allowed().expect("*", "x/a", false)))),
        new Case(
            31,
            "ingress allow-all takes precedence",
            List.of(
                apply(ingress("x", "x-a-80", pod("a"), on(tcp(80)))),
                tcp81(allowed().expect("*", "x/a", false)),
                apply(ingress("x", "x-a-all", pod("a"), ANY)),
                tcp81(allowed()))),
        new Case(
            32,
            "egress allow-all takes precedence",
            List.of(
                apply(egress("x", "x-a-80", pod("a"), on(tcp(80)))),
                tcp81(allowed().expect("x/a", "*", false)),
                apply(egress("x", "x-a-all", pod("a"), ANY)),
                tcp81(allowed()))),
        new Case(
            33,
            "stop enforcing after deletion",
            List.of(
                apply(policy("x", "deny-all", ALL, List.of(), List.of())),
                tcp80(allowed().expect("*", "x/*", false).expect("x/*", "*", false)),
                new Step.Delete("x", "deny-all"),
                tcp80(allowed()))),
        new Case(
            34,
            "egress to server in CIDR block",
            List.of(
                applyWithIps(
                    ips ->
                        egress("x", "x-a-to-y-b-ip", pod("a"), from(cidr(ips.get("y/b") + "/32")))),
                tcp80(allowed().expect("x/a", "*", false).expect("x/a", "y/b", true)))),
        new Case(
            35,
            "except clause on egress CIDR",
            List.of(
                applyWithIps(
                    ips ->
                        egress(
                            "x",
                            "x-a-except-x-b",
                            pod("a"),
                            from(cidr("10.128.0.0/9", ips.get("x/b") + "/32")))),
                tcp80(allowed().expect("x/a", "x/b", false)))),
        new Case(
            36,
            "IP overlapping both IPBlock.CIDR and IPBlock.Except",
            List.of(
                applyWithIps(
                    ips ->
                        egress(
                            "x",
                            "x-a-cidr",
                            pod("a"),
                            from(cidr("10.128.0.0/9", ips.get("x/b") + "/32")))),
                tcp80(allowed().expect("x/a", "x/b", false)),
                applyWithIps(
                    ips -> egress("x", "x-a-cidr", pod("a"), from(cidr(ips.get("x/b") + "/32")))),
                tcp80(allowed().expect("x/a", "*", false).expect("x/a", "x/b", true)))),
        new Case(
            37,
            "ingress and egress controlled independently",
            List.of(
                apply(egress("x", "x-a-egress-all", pod("a"), ANY)),
                apply(ingress("x", "x-a-no-ingress", pod("a"))),
                tcp80(allowed().expect("*", "x/a", false)))),
        new Case(
            38,
            "don't treat SCTP as TCP",
            List.of(
                apply(ingress("x", "deny-ingress", ALL)),
                apply(ingress("x", "allow-sctp-81", ALL, on(port("SCTP", "81")))),
                tcp81(allowed().expect("*", "x/*", false)))),
        new Case(
            39,
            "isolate pods selected by an SCTP-only policy",
            List.of(
                apply(ingress("x", "x-a-sctp-80", pod("a"), on(port("SCTP", "80")))),
                tcp81(allowed().expect("*", "x/a", false)))),
        new Case(
            40,
            "no TCP when the policy says UDP only",
            List.of(
                apply(ingress("x", "x-a-udp-81", pod("a"), on(port("UDP", "81")))),
                tcp81(allowed().expect("*", "x/a", false)))),
        new Case(
            41,
            "default namespace label, MatchLabels",
            List.of(
                apply(
                    ingress(
                        "x",
                        "x-a-from-y-by-name",
                        pod("a"),
                        from(namespaces(labels("kubernetes.io/metadata.name", "y"))))),
                tcp80(allowed().expect("x/*", "x/a", false).expect("z/*", "x/a", false)))),
        new Case(
            42,
            "default namespace label, MatchExpressions, egress",
            List.of(
                apply(
                    egress(
                        "x",
                        "x-a-not-to-y",
                        pod("a"),
                        from(namespaces(expr("kubernetes.io/metadata.name", "NotIn", "y"))))),
                tcp80(allowed().expect("x/a", "y/*", false)))),
        new Case(
            101,
            "UDP: default-deny-ingress",
            List.of(
                apply(ingress("x", "deny-ingress", ALL)),
                probe("UDP", 80, allowed().expect("*", "x/*", false)))),
        new Case(102, "UDP: based on Ports", ports14("UDP")),
        new Case(
            103,
            "UDP: Pod and NamespaceSelector",
            List.of(
                apply(ingress("x", "x-a-from-y-a", pod("a"), from(both(ns("y"), pod("a"))))),
                probe("UDP", 80, allowed().expect("*", "x/a", false).expect("y/a", "x/a", true)))));
  }

  private static List<Step> ports14(String protocol) {
    return List.of(
        apply(
            ingress(
                "x",
                "x-a-81-from-y",
                pod("a"),
                rule(List.of(namespaces(ns("y"))), List.of(port(protocol, "81"))))),
        probe(protocol, 81, allowed().expect("*", "x/a", false).expect("y/*", "x/a", true)),
        probe(protocol, 80, allowed().expect("*", "x/a", false)));
  }
}
