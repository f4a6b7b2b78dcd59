package io.netsvc.k8s.deploy;

import io.netsvc.k8s.deploy.model.ManifestScan;
import io.netsvc.k8s.deploy.model.ManifestScan.Decision;
import io.netsvc.k8s.deploy.model.ManifestScan.Deploy;
import io.netsvc.k8s.deploy.model.ManifestScan.Remove;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of K3s' manifests watcher: scan the directory, deploy what changed, remove what is
 * disabled. Remembers the modTime of each file it processed successfully, so an unchanged file
 * costs nothing on the next pass. Blocking and single-threaded; the caller decides when to run a
 * pass (K3s: every 15 s, forced until the first pass without failures).
 */
public final class ManifestDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDeployer.class);
  private final AddonDeployer deployer;
  private final Map<Path, FileTime> processed = new HashMap<>();

  public ManifestDeployer(AddonDeployer deployer) {
    this.deployer = deployer;
  }

  /**
   * Scans {@code manifestsDir} once. With {@code force}, every manifest is applied even if its
   * modTime and checksum are unchanged. A bad file counts as failed; this never throws for one.
   */
  public PassResult pass(Path manifestsDir, Set<String> disabled, boolean force) {
    List<String> files = listFiles(manifestsDir);
    Set<String> addons;
    try {
      addons = deployer.addonNames();
    } catch (RuntimeException e) {
      LOG.warn("cannot list Addons, disabled ones without a file stay: {}", e.toString());
      addons = Set.of();
    }
    int deployed = 0, skipped = 0, failed = 0, removed = 0, conflicts = 0;
    Set<Path> seen = new HashSet<>();
    for (Decision d : ManifestScan.scan(files, disabled, addons)) {
      if (d instanceof Deploy deploy) {
        Path file = manifestsDir.resolve(deploy.path());
        seen.add(file);
        switch (deploy(manifestsDir, file, force)) {
          case APPLIED -> deployed++;
          case UNCHANGED -> skipped++;
          case FAILED -> failed++;
          case CONFLICT -> conflicts++;
        }
      } else if (d instanceof Remove remove) {
        Optional<Path> file = remove.path().map(manifestsDir::resolve);
        file.ifPresent(processed::remove);
        try {
          if (deployer.remove(manifestsDir, remove.addonName(), file)) removed++;
        } catch (RuntimeException e) {
          LOG.warn("cannot remove disabled Addon {}: {}", remove.addonName(), e.toString());
          failed++;
        }
      } else {
        skipped++;
      }
    }
    processed.keySet().retainAll(seen);
    return new PassResult(deployed, skipped, failed, removed, conflicts);
  }

  private DeployOutcome.Status deploy(Path manifestsDir, Path file, boolean force) {
    FileTime modTime;
    try {
      modTime = Files.getLastModifiedTime(file);
    } catch (IOException e) {
      LOG.info("manifest {} vanished during the pass: {}", file, e.toString());
      return DeployOutcome.Status.FAILED;
    }
    if (!force && modTime.equals(processed.get(file))) return DeployOutcome.Status.UNCHANGED;
    DeployOutcome outcome;
    try {
      outcome = deployer.deploy(manifestsDir, file, !force);
    } catch (RuntimeException e) {
      LOG.warn("deploying {} failed: {}", file, e.toString());
      outcome = DeployOutcome.failed("", e.toString());
    }
    if (outcome.succeeded()) processed.put(file, modTime);
    else processed.remove(file);
    return outcome.status();
  }

  /**
   * Regular files under the directory, relative and with {@code /}: the top level, and everything
   * below its subdirectories (a symlinked subdirectory is followed, as K3s does, deeper linked
   * directories not).
   */
  static List<String> listFiles(Path dir) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (Stream<Path> top = Files.list(dir)) {
      for (Path entry : top.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
          Path real = entry.toRealPath();
          try (Stream<Path> below = Files.walk(real)) {
            below
                .filter(p -> Files.isRegularFile(p))
                .forEach(p -> out.add(name + "/" + slashes(real.relativize(p))));
          }
        } else if (Files.isRegularFile(entry)) {
          out.add(name);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot list all of {}: {}", dir, e.toString());
    }
    return out;
  }

  private static String slashes(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }
}
