package io.netsvc.cluster.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code netsvc server} gets its Kubernetes credentials: the kubeconfig it was given, else
 * the ServiceAccount of the pod it runs in (what client-go calls in-cluster config), else it cannot
 * start and says why in one line.
 */
public final class ApiCredentials {
  private ApiCredentials() {}

  /** The pod's ServiceAccount token, as the kubelet mounts it. */
  public static final Path TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  /** The credentials to use. */
  public sealed interface Source permits Kubeconfig, InCluster, Missing {}

  /** The file of {@code --kubeconfig} or {@code $KUBECONFIG}. */
  public record Kubeconfig(Path file) implements Source {}

  /** The pod's ServiceAccount and the API's address the kubelet put into the environment. */
  public record InCluster(String host, String port) implements Source {}

  /** Neither: the one line to print before exiting. */
  public record Missing(String message) implements Source {}

  /**
   * @param kubeconfig {@code --kubeconfig} or {@code $KUBECONFIG}, already checked to exist
   * @param env the process environment
   * @param tokenExists whether {@code token} (the ServiceAccount token file) exists
   */
  public static Source decide(
      Optional<Path> kubeconfig, Map<String, String> env, Path token, boolean tokenExists) {
    if (kubeconfig.isPresent()) return new Kubeconfig(kubeconfig.get());
    String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").strip();
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "").strip();
    if (host.isEmpty()) {
      return new Missing(
          "server needs --kubeconfig (or KUBECONFIG), or to run in a pod with a ServiceAccount"
              + " (KUBERNETES_SERVICE_HOST is not set)");
    }
    if (!tokenExists) {
      return new Missing(
          "server runs in a pod (KUBERNETES_SERVICE_HOST is set) but has no ServiceAccount token"
              + " at "
              + token
              + "; mount one (automountServiceAccountToken) or pass --kubeconfig");
    }
    return new InCluster(host, port.isEmpty() ? "443" : port);
  }
}
