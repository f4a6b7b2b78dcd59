package io.netsvc.k8s.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.deploy.model.AddonClaim.Holder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddonClaimTest {
  static final Path OURS = Path.of("/var/lib/netsvc/server/manifests");
  static final String K3S_COREDNS = "/var/lib/rancher/k3s/server/manifests/coredns.yaml";

  @Test
  void noAddonOrNoSourceIsNetsvcsToTake() {
    assertThat(AddonClaim.of(false, null, null, OURS)).isEqualTo(Holder.NONE);
    assertThat(AddonClaim.of(true, null, null, OURS)).isEqualTo(Holder.UNCLAIMED);
    assertThat(AddonClaim.of(true, " ", Map.of(), OURS)).isEqualTo(Holder.UNCLAIMED);
    assertThat(AddonClaim.netsvcMayWrite(Holder.NONE)).isTrue();
    assertThat(AddonClaim.netsvcMayWrite(Holder.UNCLAIMED)).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/var/lib/netsvc/server/manifests/coredns.yaml, NETSVC",
    "/var/lib/netsvc/server/manifests/sub/dir/app.yaml, NETSVC",
    "/var/lib/netsvc/server/manifests/../manifests/coredns.yaml, NETSVC",
    "/var/lib/rancher/k3s/server/manifests/coredns.yaml, OTHER",
    "/var/lib/netsvc/server/manifests-old/coredns.yaml, OTHER",
    "/var/lib/netsvc/server/manifests, OTHER",
    "/var/lib/netsvc/server/manifests/../other/coredns.yaml, OTHER",
    "server/manifests/coredns.yaml, OTHER",
  })
  void theSourceDecides(String source, Holder holder) {
    assertThat(AddonClaim.of(true, source, null, OURS)).isEqualTo(holder);
  }

  @Test
  void anAddonNetsvcWroteFromAnotherDataDirIsStillNetsvcs() {
    String old = "/tmp/old-data/server/manifests/coredns.yaml";
    assertThat(AddonClaim.of(true, old, Map.of(AddonClaim.SOURCE_ANNOTATION, old), OURS))
        .isEqualTo(Holder.NETSVC);
  }

  @Test
  void anAddonK3sTookOverIsK3sEvenWithNetsvcsAnnotationLeftOnIt() {
    String ours = OURS.resolve("coredns.yaml").toString();
    Map<String, String> annotations = Map.of(AddonClaim.SOURCE_ANNOTATION, ours);
    assertThat(AddonClaim.of(true, K3S_COREDNS, annotations, OURS)).isEqualTo(Holder.OTHER);
    assertThat(AddonClaim.netsvcMayWrite(Holder.OTHER)).isFalse();
  }

  @Test
  void onlyObjectsNetsvcAppliedForThatAddonMayBePruned() {
    Map<String, String> k3s = new HashMap<>();
    k3s.put(Ownership.OWNER_GVK, Ownership.ADDON_GVK);
    k3s.put(Ownership.OWNER_NAME, "coredns");
    k3s.put(Ownership.OWNER_NAMESPACE, "kube-system");
    assertThat(AddonClaim.netsvcApplied(k3s, "coredns")).isFalse();
    assertThat(AddonClaim.netsvcApplied(null, "coredns")).isFalse();

    Map<String, String> ours = new HashMap<>(k3s);
    ours.put(AddonClaim.APPLIED_BY, AddonClaim.NETSVC);
    assertThat(AddonClaim.netsvcApplied(ours, "coredns")).isTrue();
    assertThat(AddonClaim.netsvcApplied(ours, "traefik")).isFalse();

    Map<String, String> otherNamespace = new HashMap<>(ours);
    otherNamespace.put(Ownership.OWNER_NAMESPACE, "default");
    assertThat(AddonClaim.netsvcApplied(otherNamespace, "coredns")).isFalse();
  }

  @Test
  void theConflictLineNamesTheHolderAndBothWaysOut() {
    assertThat(AddonClaim.conflictMessage("coredns", K3S_COREDNS, "/x/coredns.yaml"))
        .isEqualTo(
            "Addon kube-system/coredns belongs to K3s (source "
                + K3S_COREDNS
                + "), so netsvc neither applies nor deletes it or its objects. To have netsvc"
                + " serve coredns, start K3s with --disable=coredns; to keep K3s's, start netsvc"
                + " with --disable=coredns.");
    assertThat(AddonClaim.conflictMessage("app", "/srv/other/app.yaml", "/x/app.yaml"))
        .contains("belongs to another deployer (source /srv/other/app.yaml)")
        .contains("remove it there")
        .contains("remove /x/app.yaml from netsvc's manifests directory");
  }
}
