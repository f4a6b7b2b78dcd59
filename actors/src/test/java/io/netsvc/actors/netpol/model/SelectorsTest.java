package io.netsvc.actors.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.netpol.SelectorInfo;
import io.netsvc.k8s.records.netpol.SelectorInfo.Requirement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {

  /** "k=v;k2=v2" → labels; "-" for none. */
  private static Map<String, String> labels(String s) {
    Map<String, String> m = new HashMap<>();
    if (s.equals("-")) return m;
    for (String kv : s.split(";")) m.put(kv.split("=")[0], kv.split("=")[1]);
    return m;
  }

  @ParameterizedTest(name = "{0} {1} {2} on {3} → {4}")
  @CsvSource({
    // key, operator, values ("|"-separated, "-" for none), labels, matches
    "app, In, web|db, app=web, true",
    "app, In, web|db, app=api, false",
    "app, In, web, -, false",
    "app, NotIn, web|db, app=api, true",
    "app, NotIn, web|db, app=db, false",
    // NotIn also matches objects without the label at all
    "app, NotIn, web, -, true",
    "app, Exists, -, app=x, true",
    "app, Exists, -, other=x, false",
    "app, DoesNotExist, -, other=x, true",
    "app, DoesNotExist, -, app=x, false",
    // invalid forms the API server refuses match nothing here (fail closed)
    "app, NotIn, -, -, false",
    "app, Exists, x, app=x, false",
    "app, Equals, x, app=x, false",
    "app, in, x, app=x, false",
  })
  void matchExpressions(String key, String op, String values, String labels, boolean expected) {
    List<String> vals = values.equals("-") ? List.of() : Arrays.asList(values.split("\\|"));
    SelectorInfo s = new SelectorInfo(Map.of(), List.of(new Requirement(key, op, vals)));
    assertThat(Selectors.matches(s, labels(labels))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} on {1} → {2}")
  @CsvSource({
    "-, -, true",
    "-, app=web, true",
    "app=web, app=web, true",
    "app=web, app=web;tier=fe, true",
    "app=web;tier=fe, app=web, false",
    "app=web, app=db, false",
    "app=web, -, false",
  })
  void matchLabelsAreAllRequired(String selector, String labels, boolean expected) {
    SelectorInfo s = new SelectorInfo(labels(selector), List.of());
    assertThat(Selectors.matches(s, labels(labels))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "labels AND expressions: {0} → {1}")
  @CsvSource({"app=web;tier=fe, true", "app=web;tier=be, false", "app=db;tier=fe, false"})
  void labelsAndExpressionsCombine(String labels, boolean expected) {
    SelectorInfo s =
        new SelectorInfo(
            Map.of("app", "web"), List.of(new Requirement("tier", "In", List.of("fe"))));
    assertThat(Selectors.matches(s, labels(labels))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{1} with {2} → problem mentioning \"{3}\"")
  @CsvSource({
    "app, In, -, needs values",
    "app, NotIn, -, needs values",
    "app, Exists, x, takes no values",
    "app, DoesNotExist, x, takes no values",
    "app, Gt, 1, unknown operator",
    "'', In, x, key is empty",
  })
  void invalidSelectorsAreReported(String key, String op, String values, String problem) {
    List<String> vals = values.equals("-") ? List.of() : List.of(values);
    SelectorInfo s = new SelectorInfo(Map.of(), List.of(new Requirement(key, op, vals)));
    assertThat(Selectors.problems(s)).singleElement().asString().contains(problem);
    assertThat(Selectors.isValid(s)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"In", "NotIn"})
  void validSelectorsHaveNoProblems(String op) {
    SelectorInfo s = new SelectorInfo(Map.of(), List.of(new Requirement("k", op, List.of("v"))));
    assertThat(Selectors.problems(s)).isEmpty();
    assertThat(Selectors.problems(SelectorInfo.ALL)).isEmpty();
  }
}
