package io.netsvc.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A packaged component that {@code --disable} can switch off, with its K3s name. */
public enum Component {
  COREDNS("coredns"),
  SERVICELB("servicelb"),
  TRAEFIK("traefik"),
  LOCAL_STORAGE("local-storage"),
  METRICS_SERVER("metrics-server"),
  RUNTIMES("runtimes");

  private final String k3sName;

  Component(String k3sName) {
    this.k3sName = k3sName;
  }

  /** The name K3s uses in {@code --disable} and for the manifest file. */
  public String k3sName() {
    return k3sName;
  }

  /** The component with this K3s name (exact, case-sensitive as in K3s). */
  public static Optional<Component> fromK3sName(String name) {
    return Arrays.stream(values()).filter(c -> c.k3sName.equals(name)).findFirst();
  }

  /** "coredns, servicelb, …" for messages and help. */
  public static String validNames() {
    return Arrays.stream(values()).map(Component::k3sName).collect(Collectors.joining(", "));
  }
}
