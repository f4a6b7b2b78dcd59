package io.netsvc.actors.servicelb.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TolerationsTest {
  static String render(Toleration t) {
    return t.getKey()
        + "|"
        + t.getOperator()
        + "|"
        + t.getValue()
        + "|"
        + t.getEffect()
        + "|"
        + t.getTolerationSeconds();
  }

  @Test
  void k3sDefaultsInK3sOrder() {
    assertThat(Tolerations.defaults())
        .extracting(TolerationsTest::render)
        .containsExactly(
            "node-role.kubernetes.io/master|Exists|null|NoSchedule|null",
            "node-role.kubernetes.io/control-plane|Exists|null|NoSchedule|null",
            "CriticalAddonsOnly|Exists|null|null|null");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"lb\",\"effect\":\"NoSchedule\"}]; dedicated|Equal|lb|NoSchedule|null",
        "[{\"key\":\"dedicated\",\"value\":\"lb\"}]; dedicated|Equal|lb|null|null",
        "[{\"operator\":\"Exists\"}]; null|Exists|null|null|null",
        "[{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":30}]; k|Exists|null|NoExecute|30",
        "[{\"Key\":\"k\",\"VALUE\":\"v\"}]; k|Equal|v|null|null",
        "[{\"key\":\"k\",\"value\":\"v\",\"someFutureField\":1}]; k|Equal|v|null|null",
        "- {key: k, operator: Exists}; k|Exists|null|null|null",
      })
  void parsesJsonOrYamlAndDefaultsTheOperator(String annotation, String expected) {
    assertThat(Tolerations.fromAnnotation(annotation))
        .extracting(TolerationsTest::render)
        .containsExactly(expected);
  }

  @Test
  void blockYamlAsWrittenInAManifest() {
    String yaml =
        "- key: dedicated\n  value: lb\n  effect: NoSchedule\n- key: x\n  operator: Exists\n";
    assertThat(Tolerations.fromAnnotation(yaml))
        .extracting(TolerationsTest::render)
        .containsExactly("dedicated|Equal|lb|NoSchedule|null", "x|Exists|null|null|null");
  }

  @Test
  void unknownFieldsDoNotReachTheDaemonSet() {
    Toleration t = Tolerations.fromAnnotation("[{\"key\":\"k\",\"value\":\"v\",\"x\":1}]").get(0);
    assertThat(t.getAdditionalProperties()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "null", "[]"})
  void emptyValuesMeanNoExtraTolerations(String annotation) {
    assertThat(Tolerations.fromAnnotation(annotation)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "[{\"key\":\"\",\"operator\":\"Equal\"}]; validation failed for toleration 0: toleration with empty key must have operator 'Exists'",
        "[{\"value\":\"x\"}]; validation failed for toleration 0: toleration with empty key must have operator 'Exists'",
        "[null]; validation failed for toleration 0: toleration with empty key must have operator 'Exists'",
        "[{\"key\":\"a\"},{\"key\":\"b\",\"operator\":\"Exists\",\"value\":\"v\"}]; validation failed for toleration 1: toleration with operator 'Exists' must have an empty value",
        "[{\"key\":\"a\",\"operator\":\"In\"}]; validation failed for toleration 0: toleration operator must be 'Exists' or 'Equal', not 'In'",
        "[{\"key\":\"a\",\"effect\":\"NoSchedul\"}]; validation failed for toleration 0: unsupported toleration effect 'NoSchedul'",
      })
  void rejectsWithK3sMessages(String annotation, String message) {
    assertThatThrownBy(() -> Tolerations.fromAnnotation(annotation))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"key\":\"a\"}", "[{", "key: a", "- key: [1, 2", "just text"})
  void unparseableValuesFailWithK3sPrefix(String annotation) {
    assertThatThrownBy(() -> Tolerations.fromAnnotation(annotation))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "failed to parse tolerations from annotation svccontroller.k3s.cattle.io/tolerations: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void forServiceAppendsTheAnnotationToTheDefaults() {
    var svc =
        Fixtures.svc()
            .annotation(
                SvclbNames.TOLERATIONS_ANNOTATION, "[{\"key\":\"gpu\",\"operator\":\"Exists\"}]")
            .build();
    List<Toleration> all = Tolerations.forService(svc);
    assertThat(all).hasSize(4);
    assertThat(all.subList(0, 3)).isEqualTo(Tolerations.defaults());
    assertThat(render(all.get(3))).isEqualTo("gpu|Exists|null|null|null");
    assertThat(Tolerations.forService(Fixtures.svc().build())).isEqualTo(Tolerations.defaults());
  }
}
