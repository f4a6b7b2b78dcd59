package io.netsvc.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where {@code netsvc server} gets its credentials: kubeconfig, the pod's ServiceAccount, none. */
class ApiCredentialsTest {
  private static final Path TOKEN = ApiCredentials.TOKEN;
  private static final Map<String, String> POD =
      Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1", "KUBERNETES_SERVICE_PORT", "443");

  @Test
  void aKubeconfigWinsEvenInAPod() {
    Path file = Path.of("/etc/netsvc/kubeconfig");
    assertThat(ApiCredentials.decide(Optional.of(file), POD, TOKEN, true))
        .isEqualTo(new ApiCredentials.Kubeconfig(file));
  }

  @Test
  void inAPodWithAServiceAccountTheServerUsesIt() {
    assertThat(ApiCredentials.decide(Optional.empty(), POD, TOKEN, true))
        .isEqualTo(new ApiCredentials.InCluster("10.43.0.1", "443"));
    assertThat(
            ApiCredentials.decide(
                Optional.empty(), Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1"), TOKEN, true))
        .isEqualTo(new ApiCredentials.InCluster("10.43.0.1", "443"));
  }

  @Test
  void outsideAPodWithoutAKubeconfigTheServerSaysWhatItNeeds() {
    assertThat(ApiCredentials.decide(Optional.empty(), Map.of(), TOKEN, false))
        .isEqualTo(
            new ApiCredentials.Missing(
                "server needs --kubeconfig (or KUBECONFIG), or to run in a pod with a"
                    + " ServiceAccount (KUBERNETES_SERVICE_HOST is not set)"));
    // a token file alone (a host that once ran a pod's volume) is not a pod
    assertThat(ApiCredentials.decide(Optional.empty(), Map.of(), TOKEN, true))
        .isInstanceOf(ApiCredentials.Missing.class);
  }

  @Test
  void aPodWithoutItsTokenIsToldToMountOne() {
    assertThat(ApiCredentials.decide(Optional.empty(), POD, TOKEN, false))
        .isEqualTo(
            new ApiCredentials.Missing(
                "server runs in a pod (KUBERNETES_SERVICE_HOST is set) but has no ServiceAccount"
                    + " token at "
                    + TOKEN
                    + "; mount one (automountServiceAccountToken) or pass --kubeconfig"));
  }
}
