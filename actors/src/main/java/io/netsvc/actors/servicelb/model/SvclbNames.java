package io.netsvc.actors.servicelb.model;

/** K3s's ServiceLB names, all built from one program name (RKE2 would say "rke2"). */
public final class SvclbNames {
  private SvclbNames() {}

  public static final String PROGRAM = "k3s";
  private static final String PREFIX = "svccontroller." + PROGRAM + ".cattle.io/";
  public static final String SVCNAME_LABEL = PREFIX + "svcname";
  public static final String SVCNAMESPACE_LABEL = PREFIX + "svcnamespace";
  public static final String NODESELECTOR_LABEL = PREFIX + "nodeselector";
  public static final String ENABLELB_LABEL = PREFIX + "enablelb";
  public static final String LBPOOL_LABEL = PREFIX + "lbpool";
  public static final String PRIORITY_ANNOTATION = PREFIX + "priorityclassname";
  public static final String TOLERATIONS_ANNOTATION = PREFIX + "tolerations";
  public static final String LEGACY_FINALIZER = PREFIX + "daemonset";
  public static final String DEFAULT_PRIORITY_CLASS = "system-node-critical";
  public static final String SERVICE_ACCOUNT = "svclb";
  public static final String DEFAULT_IMAGE = "rancher/klipper-lb:v0.4.9";
  public static final String CONTROLLER_NAME = "service-lb-controller";

  /**
   * The svclb pods' image: {@code --system-default-registry} prefixed to {@link #DEFAULT_IMAGE} as
   * K3s does for every system image, so an air-gapped cluster pulls it from its mirror.
   *
   * @param systemDefaultRegistry {@code host[:port][/path]} without a trailing '/', "" for none
   */
  public static String image(String systemDefaultRegistry) {
    return systemDefaultRegistry.isEmpty()
        ? DEFAULT_IMAGE
        : systemDefaultRegistry + "/" + DEFAULT_IMAGE;
  }

  /** K3s's {@code generateName}: "svclb-" + name trimmed to 48 (no trailing '-') + uid[0:8]. */
  public static String daemonSetName(String serviceName, String uid) {
    String name = serviceName;
    if (name.length() > 48) {
      name = name.substring(0, 48);
      while (name.endsWith("-")) name = name.substring(0, name.length() - 1);
    }
    return "svclb-" + name + "-" + uid.substring(0, Math.min(8, uid.length()));
  }
}
