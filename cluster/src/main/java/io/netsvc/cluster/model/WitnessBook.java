package io.netsvc.cluster.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pod witness's decision: which cluster members the Kubernetes API reports dead, so that they
 * can be downed at once instead of after the failure detector and the split-brain resolver.
 *
 * <p>A member is known dead when a selected pod at its address (podIP and remoting port) is dead:
 * deleted, in phase Failed or Succeeded, or its netsvc container's current state is terminated or
 * waiting. A container's {@code lastState} is never read: a restarted container is a new
 * incarnation on the same address, and running means alive. A pod being deleted (deletionTimestamp
 * set) is not dead while its container runs: its member was sent SIGTERM and leaves by itself.
 *
 * <p>Guards, each against downing a live member:
 *
 * <ul>
 *   <li>only members with the controller role, never this member itself, never one already Down or
 *       Removed (or downed by this book);
 *   <li>an address at which any selected pod is alive is alive (a pod IP reused by a new pod while
 *       the old, Failed pod is still listed);
 *   <li>a member is downed only for a death observed <em>after</em> this book first saw that
 *       member. A member first seen after the death at its address is a new incarnation (a
 *       restarted container, a reused pod IP) whose pod's update has not arrived yet; downing by
 *       address would down it. The order is the order of observations fed to this book, not of
 *       clocks.
 * </ul>
 *
 * <p>Reachability is not required: waiting for the failure detector to mark the member unreachable
 * is what the witness exists to avoid, and the kubelet's report is stronger evidence.
 */
public final class WitnessBook {
  /** A cluster member as the book sees it; {@code id} is its unique address. */
  public record MemberView(String id, String host, int port, Set<String> roles, String status) {}

  /** Down {@code memberId}: the pod {@code podKey} says it is dead, for {@code reason}. */
  public record Verdict(String memberId, String podKey, String reason) {}

  private record PodEntry(WitnessPod pod, boolean deleted, String death, long deadSince) {
    String address() {
      return WitnessBook.address(pod.podIP(), pod.remotingPort());
    }
  }

  private record MemberEntry(MemberView view, long firstSeen) {}

  private final String role;
  private final int defaultPort;
  private final Map<String, PodEntry> pods = new HashMap<>();
  private final Map<String, MemberEntry> members = new HashMap<>();
  private final Set<String> downed = new HashSet<>();
  private long seq;

  /**
   * @param role the role of the members the witness may down ({@code controller})
   * @param defaultPort the remoting port of a pod that names none (this member's Artery port)
   */
  public WitnessBook(String role, int defaultPort) {
    this.role = role;
    this.defaultPort = defaultPort;
  }

  /**
   * Why the kubelet's report (or the pod's deletion) means the pod's member process is gone, or
   * empty while it may run.
   */
  public static Optional<String> deathOf(WitnessPod p, boolean deleted) {
    if (deleted) return Optional.of("pod deleted");
    if ("Failed".equals(p.phase()) || "Succeeded".equals(p.phase())) {
      return Optional.of("pod phase " + p.phase());
    }
    return switch (p.containerState() == null ? "unknown" : p.containerState()) {
      case "terminated" -> Optional.of("container terminated: " + p.reason());
      case "waiting" -> Optional.of("container waiting: " + p.reason());
      default -> Optional.empty();
    };
  }

  /** A pod of netsvc's controllers as the informer reports it, or its deletion. */
  public void pod(WitnessPod p, boolean deleted) {
    seq++;
    PodEntry before = pods.get(p.key());
    Optional<String> death = deathOf(p, deleted);
    if (p.podIP() == null || p.podIP().isBlank()) {
      pods.remove(p.key()); // no address: says nothing about any member
      return;
    }
    // the death's identity: the same death reported again keeps when it was first seen
    String id = death.isEmpty() ? null : p.uid() + "#" + (deleted ? "deleted" : p.restartCount());
    long since =
        before != null && id != null && id.equals(before.death()) ? before.deadSince() : seq;
    PodEntry entry = new PodEntry(withPort(p), deleted, id, since);
    if (deleted && memberAt(entry.address()).isEmpty()) {
      pods.remove(p.key()); // no member to down: a later member at its address is a new one
    } else {
      pods.put(p.key(), entry);
    }
  }

  /** A member's current state (Pekko's status name); {@code Removed} forgets it. */
  public void member(MemberView m) {
    seq++;
    if ("Removed".equals(m.status())) {
      members.remove(m.id());
      downed.remove(m.id());
      String at = address(m.host(), m.port());
      pods.values().removeIf(e -> e.deleted() && e.address().equals(at));
      return;
    }
    MemberEntry before = members.get(m.id());
    members.put(m.id(), new MemberEntry(m, before == null ? seq : before.firstSeen()));
  }

  /** The members to down now, except {@code selfId}; each once (see {@link #downed}). */
  public List<Verdict> toDown(String selfId) {
    List<Verdict> out = new ArrayList<>();
    for (MemberEntry e : members.values()) {
      MemberView m = e.view();
      if (m.id().equals(selfId) || downed.contains(m.id()) || !m.roles().contains(role)) continue;
      if ("Down".equals(m.status()) || "Removed".equals(m.status())) continue;
      String at = address(m.host(), m.port());
      PodEntry latest = null;
      boolean alive = false;
      for (PodEntry p : pods.values()) {
        if (!p.address().equals(at)) continue;
        if (p.death() == null) alive = true;
        else if (latest == null || p.deadSince() > latest.deadSince()) latest = p;
      }
      if (alive || latest == null || latest.deadSince() <= e.firstSeen()) continue;
      out.add(
          new Verdict(
              m.id(), latest.pod().key(), deathOf(latest.pod(), latest.deleted()).orElseThrow()));
    }
    return out;
  }

  /** The member was told Down: not again, whatever its status says until the gossip has it. */
  public void downed(String memberId) {
    downed.add(memberId);
  }

  private Optional<MemberEntry> memberAt(String at) {
    return members.values().stream()
        .filter(e -> address(e.view().host(), e.view().port()).equals(at))
        .findFirst();
  }

  private WitnessPod withPort(WitnessPod p) {
    if (p.remotingPort() != null) return p;
    return new WitnessPod(
        p.namespace(),
        p.name(),
        p.uid(),
        p.podIP(),
        defaultPort,
        p.phase(),
        p.containerState(),
        p.reason(),
        p.restartCount());
  }

  /**
   * host:port with an IPv6 host's brackets dropped and letters lower-cased, as both sides write.
   */
  static String address(String host, Integer port) {
    String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    return h + ":" + port;
  }
}
