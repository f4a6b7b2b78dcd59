package io.netsvc.k8s.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThreeWayMergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "[{index}] last {0}, desired {1}, live {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // nothing changed: no patch
        "{'data':{'a':'1'}} | {'data':{'a':'1'}} | {'data':{'a':'1'}} | {}",
        // a key someone else added (NodeHosts) survives
        "{'data':{'a':'1'}} | {'data':{'a':'2'}} | {'data':{'a':'1','NodeHosts':'x'}}"
            + " | {'data':{'a':'2'}}",
        // a key removed from the manifest is deleted, but only if it was applied before
        "{'data':{'a':'1','b':'2'}} | {'data':{'a':'1'}} | {'data':{'a':'1','b':'2','c':'3'}}"
            + " | {'data':{'b':null}}",
        // no record of the last apply: plain merge, nothing deleted
        "null | {'data':{'a':'1'}} | {'data':{'a':'1','b':'2'}} | {}",
        // lists are replaced whole
        "{'l':[1,2]} | {'l':[1]} | {'l':[1,2]} | {'l':[1]}",
        // a missing or differently typed live value is set whole
        "{} | {'spec':{'x':{'y':1}}} | {'spec':{'x':'s'}} | {'spec':{'x':{'y':1}}}",
        "{} | {'spec':{'x':1}} | {} | {'spec':{'x':1}}",
        // a whole map dropped from the manifest is deleted
        "{'a':{'b':1},'c':1} | {'c':1} | {'a':{'b':1,'z':2},'c':1} | {'a':null}",
        // already deleted live: nothing to do
        "{'a':1,'b':1} | {'a':1} | {'a':1} | {}",
      })
  void patchesOnlyWhatTheManifestOwns(String last, String desired, String live, String patch)
      throws Exception {
    JsonNode lastNode = last.equals("null") ? null : json(last);
    ObjectNode result = ThreeWayMerge.patch(lastNode, (ObjectNode) json(desired), json(live));
    assertThat(result).isEqualTo(json(patch));
  }

  @Test
  void appliedAnnotationRoundTripsThroughGzip() throws Exception {
    JsonNode applied = json("{'kind':'ConfigMap','data':{'Corefile':'.:53 {}'}}");
    String encoded = Ownership.encodeApplied(applied);
    assertThat(encoded).startsWith("H4sI"); // gzip magic, as wrangler writes it
    assertThat(Ownership.decodeApplied(encoded)).isEqualTo(applied);
    assertThat(Ownership.decodeApplied("{\"a\":1}")).isEqualTo(json("{'a':1}"));
    assertThat(Ownership.decodeApplied("not base64 !")).isNull();
  }

  @Test
  void decoratedObjectsCarryTheAddonsHashAndOwner() throws Exception {
    ObjectNode o = (ObjectNode) json("{'metadata':{'name':'x','creationTimestamp':null}}");
    ObjectNode d = Ownership.decorate(o, "coredns");
    assertThat(d.at("/metadata/labels/objectset.rio.cattle.io~1hash").asText())
        .isEqualTo(Ownership.hash("coredns"))
        .hasSize(40)
        .isNotEqualTo(Ownership.hash("traefik"));
    assertThat(d.at("/metadata/annotations/objectset.rio.cattle.io~1owner-name").asText())
        .isEqualTo("coredns");
    assertThat(d.at("/metadata/annotations/objectset.rio.cattle.io~1owner-gvk").asText())
        .isEqualTo("k3s.cattle.io/v1, Kind=Addon");
    assertThat(d.at("/metadata/annotations/objectset.rio.cattle.io~1owner-namespace").asText())
        .isEqualTo("kube-system");
    assertThat(d.at("/metadata").has("creationTimestamp")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1, Kind=ConfigMap | '' | v1 | ConfigMap",
        "apps/v1, Kind=Deployment | apps | v1 | Deployment",
        "helm.cattle.io/v1, Kind=HelmChart | helm.cattle.io | v1 | HelmChart",
      })
  void gvkTextIsGoFormat(String text, String group, String version, String kind) {
    Gvk gvk = new Gvk(group, version, kind);
    assertThat(gvk.toString()).isEqualTo(text);
    assertThat(Gvk.parse(text)).isEqualTo(gvk);
    assertThat(Gvk.of(gvk.apiVersion(), kind)).isEqualTo(gvk);
  }

  @Test
  void gvkAnnotationIsSortedAndSemicolonSeparated() {
    String value =
        Gvk.annotation(
            java.util.List.of(new Gvk("apps", "v1", "Deployment"), new Gvk("", "v1", "ConfigMap")));
    assertThat(value).isEqualTo("/v1, Kind=ConfigMap;apps/v1, Kind=Deployment");
    assertThat(Gvk.parseAnnotation(value + ";garbage"))
        .containsExactly(new Gvk("", "v1", "ConfigMap"), new Gvk("apps", "v1", "Deployment"));
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
