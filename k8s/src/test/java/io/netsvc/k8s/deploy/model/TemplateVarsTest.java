package io.netsvc.k8s.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateVarsTest {

  @ParameterizedTest(name = "{0} with dns {1}, registry ''{2}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "%{CLUSTER_DNS}%                 | 10.43.0.10            | ''             | 10.43.0.10",
        "%{CLUSTER_DNS}%                 | 10.43.0.10 fd00:43::a | ''             | 10.43.0.10",
        "%{CLUSTER_DNS_LIST}%            | 10.43.0.10            | ''             | [10.43.0.10]",
        "%{CLUSTER_DNS_LIST}%            | 10.43.0.10 fd00:43::a | ''             |"
            + " [10.43.0.10,fd00:43::a]",
        "%{CLUSTER_DNS_IPFAMILYPOLICY}%  | 10.43.0.10            | ''             | SingleStack",
        "%{CLUSTER_DNS_IPFAMILYPOLICY}%  | 10.43.0.10 fd00:43::a | ''             |"
            + " RequireDualStack",
        "%{CLUSTER_DOMAIN}%              | 10.43.0.10            | ''             |"
            + " example.internal",
        "%{SYSTEM_DEFAULT_REGISTRY}%     | 10.43.0.10            | ''             | ''",
        "%{SYSTEM_DEFAULT_REGISTRY}%     | 10.43.0.10            | reg.local:5000 |"
            + " reg.local:5000/",
        "%{SYSTEM_DEFAULT_REGISTRY_RAW}% | 10.43.0.10            | reg.local:5000 | reg.local:5000",
        "%{SYSTEM_DEFAULT_REGISTRY_RAW}% | 10.43.0.10            | ''             | ''",
        "https://%{KUBERNETES_API}%/x    | 10.43.0.10            | reg.local:5000 |"
            + " https://%{KUBERNETES_API}%/x",
        "%{UNKNOWN}%                     | 10.43.0.10            | ''             | %{UNKNOWN}%",
      })
  void rendersPlaceholdersAsK3s(String template, String dns, String registry, String expected) {
    TemplateVars vars = new TemplateVars(List.of(dns.split(" ")), "example.internal", registry);
    assertThat(vars.render(template)).isEqualTo(expected);
  }

  @Test
  void everyOccurrenceIsReplaced() {
    TemplateVars vars = new TemplateVars(List.of("10.43.0.10"), "cluster.local", null);
    assertThat(vars.render("a %{CLUSTER_DOMAIN}% b %{CLUSTER_DOMAIN}%"))
        .isEqualTo("a cluster.local b cluster.local");
  }

  @Test
  void k3sDefaultsComeFromTheDeploySettings() {
    TemplateVars vars = TemplateVars.of(io.netsvc.config.DeploySettings.DEFAULTS);
    assertThat(vars.render("%{CLUSTER_DNS}% %{CLUSTER_DOMAIN}% '%{SYSTEM_DEFAULT_REGISTRY}%'"))
        .isEqualTo("10.43.0.10 cluster.local ''");
  }

  @Test
  void refusesAnEmptyDnsListOrDomain() {
    assertThatThrownBy(() -> new TemplateVars(List.of(), "cluster.local", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TemplateVars(List.of("10.43.0.10"), "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
