package io.netsvc.cluster.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * What the pod witness needs of one pod of netsvc's controllers: the address its member listens on
 * ({@code podIP} and the {@code remoting} container port, null when the pod names none) and what
 * the kubelet last reported of the pod and of its netsvc container. Only the container's current
 * {@code state} is read, never its {@code lastState}: after a restart the last state is the dead
 * incarnation's, while the current one is the running new incarnation's.
 *
 * @param containerState {@code running}, {@code waiting}, {@code terminated}, or {@code unknown}
 *     when the kubelet has reported no state of the container (yet)
 * @param reason why the container is not running (e.g. {@code Error}, {@code OOMKilled}, {@code
 *     CrashLoopBackOff}), with the exit code when it terminated; null when running or unknown
 * @param restartCount the container's restarts: a different count is a different incarnation
 */
public record WitnessPod(
    String namespace,
    String name,
    String uid,
    String podIP,
    Integer remotingPort,
    String phase,
    String containerState,
    String reason,
    int restartCount) {

  public String key() {
    return namespace + "/" + name;
  }

  /**
   * The pod as the witness reads it, or null when {@code selection} does not select it (another
   * namespace, other labels): the member's pod informer sees every pod of the cluster.
   */
  public static WitnessPod from(Pod p, WitnessSelection selection) {
    ObjectMeta m = p.getMetadata();
    if (m == null || !selection.selects(m.getNamespace(), m.getLabels())) return null;
    Optional<Container> container = container(p, selection.container());
    Integer port =
        container
            .flatMap(c -> namedPort(c, selection.portName()))
            .or(() -> anyNamedPort(p, selection.portName()))
            .orElse(null);
    String containerName = container.map(Container::getName).orElse(selection.container());
    var st = p.getStatus();
    ContainerStatus cs =
        st == null
            ? null
            : list(st.getContainerStatuses()).stream()
                .filter(s -> containerName.equals(s.getName()))
                .findFirst()
                .orElse(null);
    String state = "unknown";
    String reason = null;
    ContainerState now = cs == null ? null : cs.getState();
    if (now != null && now.getRunning() != null) {
      state = "running";
    } else if (now != null && now.getTerminated() != null) {
      state = "terminated";
      reason =
          or(now.getTerminated().getReason(), "terminated")
              + " (exit code "
              + now.getTerminated().getExitCode()
              + ")";
    } else if (now != null && now.getWaiting() != null) {
      state = "waiting";
      reason = or(now.getWaiting().getReason(), "waiting");
    }
    return new WitnessPod(
        m.getNamespace(),
        m.getName(),
        m.getUid(),
        st == null ? null : st.getPodIP(),
        port,
        st == null ? null : st.getPhase(),
        state,
        reason,
        cs == null || cs.getRestartCount() == null ? 0 : cs.getRestartCount());
  }

  /** The container named {@code name}, else the pod's only container. */
  private static Optional<Container> container(Pod p, String name) {
    if (p.getSpec() == null) return Optional.empty();
    List<Container> all = list(p.getSpec().getContainers());
    Optional<Container> named = all.stream().filter(c -> name.equals(c.getName())).findFirst();
    if (named.isPresent() || all.size() != 1) return named;
    return Optional.of(all.get(0));
  }

  private static Optional<Integer> namedPort(Container c, String portName) {
    return list(c.getPorts()).stream()
        .filter(port -> portName.equals(port.getName()))
        .map(ContainerPort::getContainerPort)
        .filter(n -> n != null)
        .findFirst();
  }

  private static Optional<Integer> anyNamedPort(Pod p, String portName) {
    if (p.getSpec() == null) return Optional.empty();
    return list(p.getSpec().getContainers()).stream()
        .flatMap(c -> namedPort(c, portName).stream())
        .findFirst();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static String or(String s, String dflt) {
    return s == null || s.isBlank() ? dflt : s;
  }
}
