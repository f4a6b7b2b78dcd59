package io.netsvc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsvc.sim.api.SimApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netsvc server} without {@code --kubeconfig}, as in a pod: the API's address from the
 * environment the kubelet sets and the ServiceAccount token file, through fabric8's in-cluster
 * configuration.
 */
class InClusterServerIT {
  @TempDir Path dir;

  @Test
  void aServerInAPodReachesTheApiWithItsServiceAccount() throws Exception {
    try (SimApiServer api = SimApiServer.start("127.0.0.1", 0)) {
      String port = api.url().substring(api.url().lastIndexOf(':') + 1);
      Path token = Files.writeString(dir.resolve("token"), "service-account-token");
      Process server =
          StartupChecksIT.start(
              dir,
              Map.of(
                  "KUBERNETES_SERVICE_HOST",
                  "127.0.0.1",
                  "KUBERNETES_SERVICE_PORT",
                  port,
                  // the embedded API speaks plain HTTP; a pod's API is HTTPS on the same address
                  "KUBERNETES_MASTER",
                  api.url(),
                  "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN",
                  token.toString()),
              "server",
              "--cluster-port",
              "0",
              "--management-port",
              "0",
              "--data-dir",
              dir.resolve("data").toString());
      try {
        // the controller's Lease: written through the API with the pod's credentials
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  if (!server.isAlive()) {
                    throw new AssertionError(
                        "server exited: " + StartupChecksIT.read(dir, "stderr"));
                  }
                  return api.client()
                          .leases()
                          .inNamespace("kube-system")
                          .withName("netsvc-controller")
                          .get()
                      != null;
                });
        assertThat(StartupChecksIT.read(dir, "stdout")).contains("netsvc server: management");
      } finally {
        server.destroyForcibly().waitFor();
      }
    }
  }
}
