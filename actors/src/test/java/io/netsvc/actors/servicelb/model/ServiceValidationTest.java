package io.netsvc.actors.servicelb.model;

import static io.netsvc.actors.servicelb.model.Fixtures.port;
import static io.netsvc.actors.servicelb.model.Fixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.PortSpec;
import org.junit.jupiter.api.Test;

class ServiceValidationTest {
  @Test
  void aPlainServiceIsValid() {
    assertThat(ServiceValidation.problems(svc().build())).isEmpty();
    assertThat(
            ServiceValidation.problems(
                svc()
                    .ports(
                        port("TCP", 53, 0),
                        port("UDP", 53, 0),
                        port("SCTP", 1, 0),
                        port("TCP", 65535, 0))
                    .build()))
        .isEmpty();
  }

  @Test
  void everyProblemIsListedOneLineEach() {
    var s =
        svc()
            .ports(
                port("TCP", 70000, 0),
                new PortSpec("web", "HTTP", 80, 0, null),
                port("UDP", 0, 0),
                port("TCP", 443, 0),
                port("TCP", 443, 0),
                port("TCP", 443, 0))
            .annotation(SvclbNames.TOLERATIONS_ANNOTATION, "[{\"value\":\"x\"}]")
            .sourceRanges("10.0.0.0/40")
            .build();
    assertThat(ServiceValidation.problems(s))
        .containsExactly(
            "port 70000/TCP is out of range 1-65535",
            "port 80 has unknown protocol \"HTTP\"",
            "port 0/UDP is out of range 1-65535",
            "port 443/TCP is listed twice",
            "validation failed for toleration 0: toleration with empty key must have operator 'Exists'",
            "invalid load balancer source range \"10.0.0.0/40\": prefix length must be 0-32");
  }

  @Test
  void aBadAnnotationRangeIsIgnoredWhenTheSpecHasRangesAsUpstream() {
    var s =
        svc().sourceRanges("10.0.0.0/8").annotation(SourceRanges.ANNOTATION, "not-a-range").build();
    assertThat(ServiceValidation.problems(s)).isEmpty();
    var annotationOnly = svc().annotation(SourceRanges.ANNOTATION, "not-a-range").build();
    assertThat(ServiceValidation.problems(annotationOnly))
        .containsExactly(
            "invalid load balancer source range \"not-a-range\": missing prefix length");
  }

  @Test
  void unparseableTolerationsAreOneProblem() {
    var s = svc().annotation(SvclbNames.TOLERATIONS_ANNOTATION, "{not: [a list").build();
    assertThat(ServiceValidation.problems(s))
        .singleElement()
        .asString()
        .startsWith(
            "failed to parse tolerations from annotation svccontroller.k3s.cattle.io/tolerations: ");
  }

  @Test
  void noPorts() {
    assertThat(ServiceValidation.problems(svc().ports().build()))
        .containsExactly("the Service has no ports");
  }

  @Test
  void unknownProtocolAndBadPortAreBothReported() {
    assertThat(
            ServiceValidation.problems(svc().ports(new PortSpec(null, "HTTP", 0, 0, null)).build()))
        .containsExactly(
            "port 0 has unknown protocol \"HTTP\"", "port 0/HTTP is out of range 1-65535");
  }
}
