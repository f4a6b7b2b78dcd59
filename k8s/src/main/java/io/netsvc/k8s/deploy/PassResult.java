package io.netsvc.k8s.deploy;

/**
 * What one {@link ManifestDeployer#pass} did.
 *
 * @param deployed manifests applied
 * @param skipped files left alone: unchanged (modTime or checksum), frozen by a {@code .skip} file,
 *     hidden, or not manifests
 * @param failed manifests or removals that failed (retried on the next pass)
 * @param removed disabled Addons whose objects, Addon or file were removed
 * @param conflicts manifests not applied because another deployer (K3s) holds an Addon of the same
 *     name; not failures: they do not keep passes forced
 */
public record PassResult(int deployed, int skipped, int failed, int removed, int conflicts) {

  /** A pass without conflicts. */
  public PassResult(int deployed, int skipped, int failed, int removed) {
    this(deployed, skipped, failed, removed, 0);
  }

  /** True if nothing failed: a caller that forces its first passes may stop forcing. */
  public boolean clean() {
    return failed == 0;
  }
}
