package io.netsvc.nodeagent.netpol.conformance;

import static io.netsvc.nodeagent.netpol.conformance.Policies.cidr;
import static io.netsvc.nodeagent.netpol.conformance.Policies.egress;
import static io.netsvc.nodeagent.netpol.conformance.Policies.expr;
import static io.netsvc.nodeagent.netpol.conformance.Policies.from;
import static io.netsvc.nodeagent.netpol.conformance.Policies.named;
import static io.netsvc.nodeagent.netpol.conformance.Policies.on;
import static io.netsvc.nodeagent.netpol.conformance.Policies.pod;
import static io.netsvc.nodeagent.netpol.conformance.Policies.pods;
import static io.netsvc.nodeagent.netpol.conformance.Policies.policy;
import static io.netsvc.nodeagent.netpol.conformance.Policies.rule;
import static io.netsvc.nodeagent.netpol.conformance.Policies.tcp;
import static io.netsvc.nodeagent.netpol.conformance.Step.apply;

import java.util.List;

/**
 * kube-router's deviations from the spec that netsvc fixes (docs/differences.md, D1–D15), each as a
 * case whose expected matrix is the spec's answer, where kube-router v2.6.3 gives another.
 */
final class RegressionCases {
  private RegressionCases() {}

  static Truth allowed() {
    return new Truth(true);
  }

  static List<UpstreamCases.Case> all() {
    return List.of(
        new UpstreamCases.Case(
            202,
            "D2: an ingress rule of a both-direction policy does not approve egress",
            List.of(
                apply(
                    policy(
                        "x",
                        "pair",
                        expr("pod", "In", "a", "b"),
                        List.of(from(pods(expr("pod", "In", "a", "b")))),
                        List.of(on(tcp(53))))),
                Step.tcp(
                    80,
                    allowed()
                        .expect("*", "x/a", false)
                        .expect("*", "x/b", false)
                        .expect("x/a", "*", false)
                        .expect("x/b", "*", false)))),
        new UpstreamCases.Case(
            209,
            "D9: a policy that cannot be compiled does not stop the others",
            List.of(
                apply(egress("x", "broken", pod("a"), from(cidr("10.128.0.0/40")))),
                apply(
                    Policies.ingress(
                        "x", "deny-ingress", io.netsvc.k8s.records.netpol.SelectorInfo.ALL)),
                Step.tcp(80, allowed().expect("*", "x/*", false).expect("x/a", "*", false)))),
        new UpstreamCases.Case(
            204,
            "D4: one peer's except does not mask another peer's cidr",
            List.of(
                apply(
                    egress(
                        "x",
                        "two-blocks",
                        pod("a"),
                        from(cidr("10.128.0.0/16", "10.128.1.0/24"), cidr("10.128.0.0/9")))),
                Step.tcp(80, allowed()))),
        new UpstreamCases.Case(
            205,
            "D5: the same prefix as one peer's except and another peer's cidr is allowed",
            List.of(
                apply(
                    egress(
                        "x",
                        "same-prefix",
                        pod("a"),
                        from(cidr("10.128.0.0/16", "10.128.1.0/24"), cidr("10.128.1.0/24")))),
                Step.tcp(80, allowed()))),
        new UpstreamCases.Case(
            207,
            "D7: an egress named port without peers is resolved in every namespace",
            List.of(
                apply(egress("x", "alt-port", pod("a"), on(named("alt-81")))),
                Step.tcp(81, allowed().expect("x/a", "*", false).expect("x/a", "y/*", true)))),
        new UpstreamCases.Case(
            208,
            "D8: an egress ipBlock with a named port allows the pods inside the block",
            List.of(
                apply(
                    egress(
                        "x",
                        "block-named",
                        pod("a"),
                        rule(List.of(cidr("10.128.0.0/9")), List.of(named("serve-80-tcp"))))),
                Step.tcp(80, allowed()),
                Step.tcp(81, allowed().expect("x/a", "*", false)))));
  }
}
