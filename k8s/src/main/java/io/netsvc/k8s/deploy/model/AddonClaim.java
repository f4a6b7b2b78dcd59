package io.netsvc.k8s.deploy.model;

import io.netsvc.config.Component;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who an {@code Addon} belongs to, so that netsvc's deployer and K3s's can run side by side with
 * the same Addon names ({@code kube-system/coredns}, {@code traefik}, ...).
 *
 * <p>K3s records in {@code spec.source} the path of the manifest an Addon was applied from; an
 * Addon, and the objects it applied, belong to whoever's manifests directory that path lies in.
 * netsvc writes and deletes only Addons whose source is under its own manifests directory, and
 * Addons nobody claims (none yet, or one without a source). Because netsvc's data directory can
 * move between runs (another {@code --data-dir}), netsvc also copies the source it writes into its
 * own annotation {@link #SOURCE_ANNOTATION}: an Addon whose source still equals that copy was last
 * written by netsvc and stays netsvc's. K3s's deployer rewrites {@code spec.source} (and keeps
 * foreign annotations) when it takes an Addon over, so the two then differ and netsvc backs off.
 *
 * <p>Objects are matched by the hash label that depends only on the Addon's name, so K3s's and
 * netsvc's CoreDNS objects look alike. netsvc marks what it applies with {@link #APPLIED_BY} and
 * prunes or deletes only objects that carry it and whose owner annotations name the Addon.
 */
public final class AddonClaim {
  /** On an Addon: the {@code spec.source} netsvc wrote last. */
  public static final String SOURCE_ANNOTATION = "deploy.netsvc.io/source";

  /** On every object netsvc's deployer applied; part of the applied state, see the class doc. */
  public static final String APPLIED_BY = "deploy.netsvc.io/applied-by";

  /** The value of {@link #APPLIED_BY}. */
  public static final String NETSVC = "netsvc";

  private AddonClaim() {}

  /** Who holds an Addon, as far as netsvc's deployer is concerned. */
  public enum Holder {
    /** No Addon of that name: netsvc may create it. */
    NONE,
    /** An Addon without a source: no manifests directory claims it, netsvc may take it. */
    UNCLAIMED,
    /** netsvc's: its source is in netsvc's manifests directory, or is the one netsvc wrote. */
    NETSVC,
    /** Someone else's (K3s's deployer, another netsvc): netsvc neither writes nor deletes it. */
    OTHER
  }

  /**
   * Who holds the Addon.
   *
   * @param exists whether the Addon exists
   * @param source its {@code spec.source} (null or blank for none)
   * @param annotations its annotations (null for none)
   * @param manifestsDir netsvc's manifests directory, absolute
   */
  public static Holder of(
      boolean exists, String source, Map<String, String> annotations, Path manifestsDir) {
    if (!exists) return Holder.NONE;
    if (source == null || source.isBlank()) return Holder.UNCLAIMED;
    if (under(source, manifestsDir)) return Holder.NETSVC;
    String written = annotations == null ? null : annotations.get(SOURCE_ANNOTATION);
    return source.equals(written) ? Holder.NETSVC : Holder.OTHER;
  }

  /** True unless another deployer holds it: netsvc may apply to, prune and delete it. */
  public static boolean netsvcMayWrite(Holder holder) {
    return holder != Holder.OTHER;
  }

  // A relative source cannot be placed: K3s always records an absolute path, and netsvc too.
  private static boolean under(String source, Path manifestsDir) {
    try {
      Path p = Path.of(source).normalize();
      Path dir = manifestsDir.normalize();
      return p.isAbsolute() && dir.isAbsolute() && p.startsWith(dir) && !p.equals(dir);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * Whether netsvc may prune or delete an object found by Addon {@code addonName}'s hash label:
   * only if its owner annotations name that Addon and netsvc's deployer applied it.
   */
  public static boolean netsvcApplied(Map<String, String> annotations, String addonName) {
    if (annotations == null) return false;
    return Ownership.ADDON_GVK.equals(annotations.get(Ownership.OWNER_GVK))
        && addonName.equals(annotations.get(Ownership.OWNER_NAME))
        && Ownership.ADDON_NAMESPACE.equals(annotations.get(Ownership.OWNER_NAMESPACE))
        && NETSVC.equals(annotations.get(APPLIED_BY));
  }

  /**
   * The deployer that holds a foreign source, for messages: K3s when the path is in a K3s data
   * directory ({@code .../rancher/k3s/...}), else "another deployer".
   */
  public static String holderName(String source) {
    return source != null && source.contains("/rancher/k3s/") ? "K3s" : "another deployer";
  }

  /**
   * The one line (log and Event) saying that netsvc leaves Addon {@code name} to its holder, and
   * the two ways to resolve it: disable it there, or in netsvc ({@code --disable} for a packaged
   * component, else by removing netsvc's file {@code ourFile}).
   */
  public static String conflictMessage(String name, String source, String ourFile) {
    String holder = holderName(source);
    String inNetsvc =
        Component.fromK3sName(name).isPresent()
            ? "start netsvc with --disable=" + name
            : "remove " + ourFile + " from netsvc's manifests directory";
    String inHolder = holder.equals("K3s") ? "start K3s with --disable=" + name : "remove it there";
    return "Addon kube-system/"
        + name
        + " belongs to "
        + holder
        + " (source "
        + source
        + "), so netsvc neither applies nor deletes it or its objects. To have netsvc serve "
        + name
        + ", "
        + inHolder
        + "; to keep "
        + holder
        + "'s, "
        + inNetsvc
        + ".";
  }
}
