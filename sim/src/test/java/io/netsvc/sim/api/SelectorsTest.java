package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {
  private static final JsonNode POD =
      Json.parse(
          """
      {"metadata":{"name":"p","namespace":"ns","labels":{"app":"web","tier":"fe"}},
       "spec":{"nodeName":"node-1"},"status":{"phase":"Running"}}""");

  @ParameterizedTest(name = "labels {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      app=web                    | true
      app==web                   | true
      app!=web                   | false
      app                        | true
      !app                       | false
      !missing                   | true
      app in (api,web)           | true
      app notin (api,web)        | false
      missing notin (x)          | true
      app in (web),tier=fe       | true
      app in (web),tier=be       | false
      ''                         | true
      """)
  void labels(String selector, boolean matches) {
    assertThat(Selectors.labels(selector).test(POD)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "fields {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      spec.nodeName=node-1                          | true
      spec.nodeName=node-2                          | false
      spec.nodeName!=node-2,status.phase=Running    | true
      metadata.name=p,metadata.namespace=ns         | true
      spec.missing=                                 | true
      """)
  void fields(String selector, boolean matches) {
    assertThat(Selectors.fields(selector).test(POD)).isEqualTo(matches);
  }
}
