package io.netsvc.sim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.sim.api.SimApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply --dry-run=server -k deploy/} against the sim's API: kubectl finds every kind
 * of the base in discovery and the API accepts every object, defaulted and validated as
 * kube-apiserver does it for the kinds netsvc relies on (docs/sim-api.md lists what it does not
 * check).
 */
class DeployDryRunIT {
  @Test
  void theBaseAppliesWithServerDryRun() throws Exception {
    Path dir = Files.createTempDirectory("netsvc-deploy-dry-run");
    try (SimApiServer api = SimApiServer.start("127.0.0.1", 0)) {
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
      // as on a real API server, a dry run of namespaced objects needs their namespace to exist
      DeployManifests.kubectl(
              "--kubeconfig",
              kubeconfig.toString(),
              "apply",
              "-f",
              DeployManifests.dir().resolve("namespace.yaml").toString())
          .orElseThrow();
      DeployManifests.Result r =
          DeployManifests.kubectl(
              "--kubeconfig",
              kubeconfig.toString(),
              "apply",
              "--dry-run=server",
              "-k",
              DeployManifests.dir().toString());
      String out = r.orElseThrow();
      int objects = DeployManifests.parse(DeployManifests.render()).size();
      assertThat(out.lines().filter(l -> l.endsWith("(server dry run)")).count())
          .as(out)
          .isEqualTo(objects);
      // a dry run stores nothing
      assertThat(api.client().apps().daemonSets().inNamespace("netsvc-system").list().getItems())
          .isEmpty();
      assertThat(api.client().apps().deployments().inNamespace("netsvc-system").list().getItems())
          .isEmpty();
    }
  }
}
