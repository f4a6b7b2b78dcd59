package io.netsvc.k8s.deploy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** How a manifest file name becomes the name of its {@code Addon}, and whether K8s accepts it. */
public final class AddonNames {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final String SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  static final String TOO_LONG_MESSAGE = "must be no more than 253 characters";

  private AddonNames() {}

  /**
   * The Addon name of a manifest: its file name up to the first dot ({@code traefik-config.yaml}
   * and {@code traefik-config.v2.yaml} are both {@code traefik-config}). A path may be given; only
   * its last segment counts.
   */
  public static String of(String fileName) {
    String base = fileName.substring(fileName.lastIndexOf('/') + 1);
    int dot = base.indexOf('.');
    return dot < 0 ? base : base.substring(0, dot);
  }

  /** The message the API server would reject this object name with, or empty if it is valid. */
  public static Optional<String> invalid(String name) {
    List<String> problems = new ArrayList<>(2);
    if (name.length() > 253) problems.add(TOO_LONG_MESSAGE);
    if (!SUBDOMAIN.matcher(name).matches()) problems.add(SUBDOMAIN_MESSAGE);
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", problems));
  }
}
