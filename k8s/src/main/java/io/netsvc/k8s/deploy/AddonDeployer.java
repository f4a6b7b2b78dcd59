package io.netsvc.k8s.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netsvc.k8s.EventRecorder;
import io.netsvc.k8s.deploy.model.AddonClaim;
import io.netsvc.k8s.deploy.model.AddonNames;
import io.netsvc.k8s.deploy.model.Gvk;
import io.netsvc.k8s.records.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * K3s' deploy controller, one manifest at a time: a file becomes an {@code Addon} in kube-system
 * whose objects are applied, labelled as its own, and pruned when the file stops listing them. An
 * Addon of the same name that another deployer holds (K3s's own CoreDNS, see {@link AddonClaim}) is
 * neither written nor deleted: one WARN line and a Warning event say so, once per conflict.
 * Blocking; not thread-safe (one caller at a time).
 */
public final class AddonDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(AddonDeployer.class);
  static final String COMPONENT = "deploy";
  private final KubernetesClient client;
  private final Discovery discovery;
  private final ObjectApplier applier;
  private final EventRecorder events;
  private final Addons addons;
  // Addon name -> the foreign source already reported, so each conflict is told once
  private final Map<String, String> conflicts = new HashMap<>();
  private final Map<String, String> leftAlone = new HashMap<>();

  public AddonDeployer(KubernetesClient client) {
    this.client = client;
    this.addons = new Addons(client);
    this.discovery = new Discovery(client);
    this.applier = new ObjectApplier(client, discovery);
    this.events = new EventRecorder(client, COMPONENT);
  }

  /** Creates the Addon, HelmChart and HelmChartConfig CRDs if missing; waits until served. */
  public void ensureCrds() {
    ensureCrds(Duration.ofSeconds(60));
  }

  /** As {@link #ensureCrds()}, failing with IllegalStateException after {@code timeout}. */
  public void ensureCrds(Duration timeout) {
    AddonCrds.ensure(client, discovery, timeout);
  }

  /** The names of the Addons in kube-system (empty if the Addon CRD is not installed). */
  public Set<String> addonNames() {
    return addons.names();
  }

  /**
   * Applies one manifest of {@code manifestsDir}. With {@code compareChecksum}, a file whose
   * SHA-256 equals the one the Addon recorded is skipped. Failures become Warning events and a
   * FAILED outcome, an Addon held by another deployer a CONFLICT; never throws.
   */
  public DeployOutcome deploy(Path manifestsDir, Path file, boolean compareChecksum) {
    String path = file.toAbsolutePath().normalize().toString();
    String name = AddonNames.of(file.getFileName().toString());
    Optional<String> invalid = AddonNames.invalid(name);
    if (invalid.isPresent()) {
      String why = invalidName(name, invalid.get());
      events.record(
          Addons.ref(name, null), "Warning", "ApplyManifestFailed", applyFailed(path, why));
      return DeployOutcome.failed(name, why);
    }
    GenericKubernetesResource addon;
    try {
      GenericKubernetesResource live = addons.get(name);
      if (!AddonClaim.netsvcMayWrite(Addons.holder(live, absolute(manifestsDir)))) {
        return conflict(name, live, path);
      }
      if (conflicts.remove(name) != null) {
        LOG.info(
            "Addon kube-system/{} is no longer held by another deployer: applying {}", name, path);
      }
      addon = addons.claim(name, path, live);
    } catch (RuntimeException e) {
      LOG.warn("cannot get or create Addon {} for {}: {}", name, path, ObjectApplier.message(e));
      return DeployOutcome.failed(name, ObjectApplier.message(e));
    }
    ObjectRef ref = Addons.ref(name, addon);
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage());
      events.record(
          ref, "Warning", "ReadManifestFailed", "Read manifest at " + q(path) + " failed: " + why);
      return DeployOutcome.failed(name, why);
    }
    String checksum = sha256(content);
    if (compareChecksum && checksum.equals(Addons.spec(addon).get("checksum"))) {
      return DeployOutcome.unchanged(name);
    }
    List<GenericKubernetesResource> objects;
    try {
      objects = ManifestParser.parse(new String(content, StandardCharsets.UTF_8));
    } catch (ManifestException e) {
      events.record(
          ref,
          "Warning",
          "ParseManifestFailed",
          "Parse manifest at " + q(path) + " failed: " + e.getMessage());
      return DeployOutcome.failed(name, e.getMessage());
    }
    events.record(ref, "Normal", "ApplyingManifest", "Applying manifest at " + q(path));
    List<String> failures = apply(name, addon, objects, checksum);
    if (!failures.isEmpty()) {
      String why = String.join("; ", failures);
      events.record(ref, "Warning", "ApplyManifestFailed", applyFailed(path, why));
      return DeployOutcome.failed(name, why);
    }
    events.record(ref, "Normal", "AppliedManifest", "Applied manifest at " + q(path));
    LOG.info("applied manifest {} as Addon {}", path, name);
    return DeployOutcome.applied(name);
  }

  // Applies and records the result on the Addon; on any failure the checksum is cleared so that
  // the next pass retries even if the file is reverted to what was last applied in full.
  private List<String> apply(
      String name,
      GenericKubernetesResource addon,
      List<GenericKubernetesResource> objects,
      String checksum) {
    ObjectApplier.Report report;
    try {
      report = applier.apply(name, objects, Addons.kinds(addon));
    } catch (RuntimeException e) {
      return List.of(ObjectApplier.message(e));
    }
    boolean ok = report.failures().isEmpty();
    try {
      addons.record(name, ok ? checksum : "", report.gvks());
    } catch (RuntimeException e) {
      return List.of("update Addon " + name + ": " + ObjectApplier.message(e));
    }
    return report.failures();
  }

  // One WARN line and one Warning event per conflict (and again if the holder's source changes).
  private DeployOutcome conflict(String name, GenericKubernetesResource live, String ourFile) {
    String source = Addons.source(live);
    String message = AddonClaim.conflictMessage(name, source, ourFile);
    if (!source.equals(conflicts.put(name, source))) {
      LOG.warn(message);
      events.record(Addons.ref(name, live), "Warning", "AddonConflict", message);
    }
    return DeployOutcome.conflict(name, message);
  }

  /**
   * Deletes what Addon {@code addonName} applied (kinds from its annotation and from the file, if
   * present), the Addon, then the file. An Addon another deployer holds and its objects stay; only
   * netsvc's file goes. True if anything was there to remove.
   */
  public boolean remove(Path manifestsDir, String addonName, Optional<Path> file) {
    Optional<Path> present = file.filter(Files::exists);
    if (AddonNames.invalid(addonName).isPresent()) return deleteFile(present);
    GenericKubernetesResource addon = addons.get(addonName);
    if (!AddonClaim.netsvcMayWrite(Addons.holder(addon, absolute(manifestsDir)))) {
      String source = Addons.source(addon);
      if (!source.equals(leftAlone.put(addonName, source))) {
        LOG.info(
            "{} is disabled in netsvc; Addon kube-system/{} belongs to {} (source {}): netsvc"
                + " leaves it and its objects",
            addonName,
            addonName,
            AddonClaim.holderName(source),
            source);
      }
      return deleteFile(present);
    }
    leftAlone.remove(addonName);
    Set<Gvk> kinds = Addons.kinds(addon);
    present.ifPresent(p -> kinds.addAll(kindsIn(p)));
    List<ObjectApplier.Owned> owned = applier.owned(addonName, kinds, new HashSet<>());
    if (addon == null && owned.isEmpty() && present.isEmpty()) return false;
    String where =
        present
            .map(Path::toString)
            .orElseGet(
                () ->
                    addon == null
                        ? addonName
                        : Addons.spec(addon).getOrDefault("source", addonName).toString());
    events.record(
        Addons.ref(addonName, addon),
        "Normal",
        "DeletingManifest",
        "Deleting manifest at " + q(where));
    for (ObjectApplier.Owned o : owned) applier.delete(o);
    if (addon != null) addons.delete(addonName);
    deleteFile(present);
    LOG.info("removed Addon {} ({} objects)", addonName, owned.size());
    return true;
  }

  private static Path absolute(Path dir) {
    return dir.toAbsolutePath().normalize();
  }

  private static boolean deleteFile(Optional<Path> file) {
    if (file.isEmpty()) return false;
    try {
      return Files.deleteIfExists(file.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file.get(), e);
    }
  }

  // The kinds a file names, for cleanup; an unreadable file names none (the annotation still may).
  private static Set<Gvk> kindsIn(Path file) {
    try {
      return ManifestParser.parse(Files.readString(file)).stream()
          .map(o -> Gvk.of(o.getApiVersion(), o.getKind()))
          .collect(Collectors.toSet());
    } catch (IOException | ManifestException | RuntimeException e) {
      LOG.info("removing {}: cannot read its kinds ({})", file, e.getMessage());
      return Set.of();
    }
  }

  static String invalidName(String name, String problem) {
    return "Addon.k3s.cattle.io "
        + q(name)
        + " is invalid: metadata.name: Invalid value: "
        + q(name)
        + ": "
        + problem;
  }

  private static String applyFailed(String path, String why) {
    return "Applying manifest at " + q(path) + " failed: " + why;
  }

  /** Go's %q for the plain strings we quote (paths, names). */
  static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
