package io.netsvc.k8s.deploy;

/**
 * What one {@link ManifestDeployer#pass} did.
 *
 * @param deployed manifests applied
 * @param skipped files left alone: unchanged (modTime or checksum), frozen by a {@code .skip} file,
 *     hidden, or not manifests
 * @param failed manifests or removals that failed (retried on the next pass)
 * @param removed disabled Addons whose objects, Addon or file were removed
 */
public record PassResult(int deployed, int skipped, int failed, int removed) {

  /** True if nothing failed: a caller that forces its first passes may stop forcing. */
  public boolean clean() {
    return failed == 0;
  }
}
