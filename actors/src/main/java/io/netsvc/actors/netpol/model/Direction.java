package io.netsvc.actors.netpol.model;

/** The direction a policy rule governs, seen from the selected (target) pods. */
public enum Direction {
  INGRESS("Ingress"),
  EGRESS("Egress");

  private final String policyType;

  Direction(String policyType) {
    this.policyType = policyType;
  }

  /** The {@code spec.policyTypes} value. */
  public String policyType() {
    return policyType;
  }

  /** Lower-case word used in names and comments ({@code ingress}/{@code egress}). */
  public String word() {
    return policyType.toLowerCase(java.util.Locale.ROOT);
  }
}
