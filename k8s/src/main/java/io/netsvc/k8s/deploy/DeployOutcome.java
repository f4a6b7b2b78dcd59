package io.netsvc.k8s.deploy;

/**
 * What {@link AddonDeployer#deploy} did with one manifest.
 *
 * @param status the result
 * @param addonName the Addon the file maps to
 * @param detail why it failed (one line), or empty
 */
public record DeployOutcome(Status status, String addonName, String detail) {

  /** The result of one deploy. */
  public enum Status {
    /** The objects were applied (and pruned) and the checksum recorded. */
    APPLIED,
    /** The checksum matched the one recorded in the Addon: nothing was written. */
    UNCHANGED,
    /** Nothing or only part was applied; the checksum was not recorded, so a retry applies it. */
    FAILED,
    /**
     * Another deployer (K3s) holds an Addon of that name: nothing was written. Not a failure, but
     * the file is looked at again on every pass, so netsvc takes over once the other lets go.
     */
    CONFLICT
  }

  static DeployOutcome applied(String addon) {
    return new DeployOutcome(Status.APPLIED, addon, "");
  }

  static DeployOutcome unchanged(String addon) {
    return new DeployOutcome(Status.UNCHANGED, addon, "");
  }

  static DeployOutcome failed(String addon, String why) {
    return new DeployOutcome(Status.FAILED, addon, why);
  }

  static DeployOutcome conflict(String addon, String why) {
    return new DeployOutcome(Status.CONFLICT, addon, why);
  }

  /** True if applied or unchanged: the caller may remember the file as processed. */
  public boolean succeeded() {
    return status == Status.APPLIED || status == Status.UNCHANGED;
  }
}
