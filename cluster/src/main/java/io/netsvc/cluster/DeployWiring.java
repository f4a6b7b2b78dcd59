package io.netsvc.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.netsvc.actors.deploy.DeployDeps;
import io.netsvc.actors.deploy.DeployerActor;
import io.netsvc.actors.deploy.ManifestJobs;
import io.netsvc.config.Component;
import io.netsvc.config.Settings;
import io.netsvc.k8s.deploy.AddonDeployer;
import io.netsvc.k8s.deploy.ManifestDeployer;
import io.netsvc.k8s.deploy.PassResult;
import io.netsvc.k8s.deploy.Staging;
import io.netsvc.k8s.deploy.model.TemplateVars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Starts the packaged-component deployer on the controller role: {@code
 * <data-dir>/server/manifests}, staged with coredns.yaml and traefik.yaml unless disabled, applied
 * as Addons.
 */
public final class DeployWiring {
  private DeployWiring() {}

  /** Where the manifests live under a data directory. */
  public static Path manifestsDir(Settings settings) {
    return settings.dataDir().resolve("server").resolve("manifests");
  }

  static void init(
      ActorSystem<?> system, KubernetesClient client, Settings settings, MeterRegistry metrics) {
    Path dir = manifestsDir(settings);
    Set<String> disabled =
        settings.disabled().stream().map(Component::k3sName).collect(Collectors.toSet());
    Duration rescan = system.settings().config().getDuration("netsvc.manifests-rescan");
    AtomicInteger conflicts = MeteredManifestJobs.conflictsGauge(metrics);
    ControllerSingletons.init(
        system,
        "deployer",
        () ->
            DeployerActor.create(
                new DeployDeps(
                    new MeteredManifestJobs(
                        new Jobs(client, dir, disabled, TemplateVars.of(settings.deploy())),
                        metrics,
                        conflicts),
                    dir,
                    rescan,
                    Duration.ofSeconds(5),
                    system.dispatchers().lookup(DispatcherSelector.blocking()))),
        new DeployerActor.Stop());
  }

  private static final class Jobs implements ManifestJobs {
    private final AddonDeployer addons;
    private final ManifestDeployer deployer;
    private final Path dir;
    private final Set<String> disabled;
    private final TemplateVars vars;

    Jobs(KubernetesClient client, Path dir, Set<String> disabled, TemplateVars vars) {
      this.addons = new AddonDeployer(client);
      this.deployer = new ManifestDeployer(addons);
      this.dir = dir;
      this.disabled = disabled;
      this.vars = vars;
    }

    @Override
    public void prepare() {
      Staging.stage(dir, vars, disabled);
      addons.ensureCrds();
    }

    @Override
    public PassResult pass(boolean force) {
      return deployer.pass(dir, disabled, force);
    }
  }
}
