package io.netsvc.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.netsvc.cluster.model.Formation;
import io.netsvc.config.Errors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/** One netsvc cluster member: an ActorSystem with Cluster, Management HTTP and its roles. */
public final class Member implements AutoCloseable {

  /**
   * How to start a member. {@code seeds} are Artery addresses ("host:port"); empty = form a new
   * cluster alone. Port 0 picks a free port. {@code exitWhenDowned}: a member that is downed (or
   * cannot join) ends its JVM with status 255, so that systemd or the kubelet restarts it; only for
   * a process that is one member ({@code server}, {@code agent}), never for several members in one
   * JVM (sim, tests), where it would end them all. {@code tlsDir}: Artery over mutually
   * authenticated TLS with the PEM files there (docs/tls.md); empty: plain TCP. {@code bootstrap}:
   * find the cluster through Pekko Cluster Bootstrap instead of {@code seeds} (docs/deploy.md).
   */
  public record Spec(
      String systemName,
      String host,
      int port,
      List<String> seeds,
      Set<String> roles,
      String managementHost,
      int managementPort,
      boolean exitWhenDowned,
      Optional<Path> tlsDir,
      Optional<Formation.Bootstrap> bootstrap) {

    /** A member that joins {@code seeds}, or forms a cluster alone without any. */
    public Spec(
        String systemName,
        String host,
        int port,
        List<String> seeds,
        Set<String> roles,
        String managementHost,
        int managementPort,
        boolean exitWhenDowned,
        Optional<Path> tlsDir) {
      this(
          systemName,
          host,
          port,
          seeds,
          roles,
          managementHost,
          managementPort,
          exitWhenDowned,
          tlsDir,
          Optional.empty());
    }

    /** A member on plain TCP. */
    public Spec(
        String systemName,
        String host,
        int port,
        List<String> seeds,
        Set<String> roles,
        String managementHost,
        int managementPort,
        boolean exitWhenDowned) {
      this(
          systemName,
          host,
          port,
          seeds,
          roles,
          managementHost,
          managementPort,
          exitWhenDowned,
          Optional.empty());
    }

    /** A member that stays in its JVM when downed. */
    public Spec(
        String systemName,
        String host,
        int port,
        List<String> seeds,
        Set<String> roles,
        String managementHost,
        int managementPort) {
      this(
          systemName,
          host,
          port,
          seeds,
          roles,
          managementHost,
          managementPort,
          false,
          Optional.empty());
    }
  }

  private final ActorSystem<Void> system;
  private final String managementUrl;

  private Member(ActorSystem<Void> system, String managementUrl) {
    this.system = system;
    this.managementUrl = managementUrl;
  }

  public static Member start(Spec spec) {
    Config config = config(spec).withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), spec.systemName(), config);
    if (spec.tlsDir().isEmpty()) {
      system
          .log()
          .warn(
              "the cluster transport is plain TCP: anyone who reaches {}:{} can join this cluster"
                  + " and speak for any member; give every member --tls-dir (docs/tls.md)",
              spec.host(),
              Cluster.get(system).selfMember().address().port().get());
    }
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    // with Cluster Bootstrap the member joins once Management HTTP is up (below): the contact
    // points probe each other there
    if (spec.bootstrap().isEmpty() && spec.seeds().isEmpty()) {
      cluster.manager().tell(Join.create(self));
    } else if (spec.bootstrap().isEmpty()) {
      List<Address> seeds = spec.seeds().stream().map(s -> address(spec.systemName(), s)).toList();
      cluster.manager().tell(new org.apache.pekko.cluster.typed.JoinSeedNodes(seeds));
    }
    String url;
    try {
      url =
          PekkoManagement.get(Adapter.toClassic(system))
              .start()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .toString();
      if (spec.bootstrap().isPresent()) ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException(
          "cannot start Management HTTP on "
              + spec.managementHost()
              + ":"
              + spec.managementPort()
              + ": "
              + Errors.rootMessage(e),
          e);
    }
    return new Member(system, url);
  }

  private static Config config(Spec spec) {
    String roles = spec.roles().stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
    return ConfigFactory.parseString(
        "pekko.remote.artery.canonical.hostname = \""
            + spec.host()
            + "\"\n"
            + "pekko.remote.artery.canonical.port = "
            + spec.port()
            + "\n"
            + "pekko.cluster.roles = ["
            + roles
            + "]\n"
            + "pekko.management.http.hostname = \""
            + spec.managementHost()
            + "\"\n"
            + "pekko.management.http.port = "
            + spec.managementPort()
            + "\n"
            + (spec.exitWhenDowned() ? EXIT_WHEN_DOWNED : "")
            + spec.tlsDir().map(Member::tls).orElse("")
            + spec.bootstrap().map(Formation.Bootstrap::config).orElse(""));
  }

  /**
   * Pekko's rotating-keys provider: mutual authentication always, and the peer's certificate must
   * share a subject name (CN or SAN) with this member's. It re-reads the files when its cached
   * context expires (ssl-context-cache-ttl), so a renewed Secret is picked up without a restart.
   * The files were checked at parse time (config's TlsDir).
   */
  private static String tls(Path dir) {
    String engine = "pekko.remote.artery.ssl.rotating-keys-engine.";
    return "pekko.remote.artery.transport = tls-tcp\n"
        + "pekko.remote.artery.ssl.ssl-engine-provider ="
        + " \"org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider\"\n"
        + engine
        + "key-file = "
        + quoted(dir.resolve("tls.key"))
        + "\n"
        + engine
        + "cert-file = "
        + quoted(dir.resolve("tls.crt"))
        + "\n"
        + engine
        + "ca-cert-file = "
        + quoted(dir.resolve("ca.crt"))
        + "\n";
  }

  private static String quoted(Path p) {
    return ConfigUtil.quoteString(p.toAbsolutePath().toString());
  }

  /**
   * Only for the reasons "downed" and "could not join": a SIGTERM or {@link #close()} still stops
   * the member without System.exit (which would block inside a JVM shutdown hook). Pekko's exit
   * code for these reasons is -1, i.e. status 255.
   */
  private static final String EXIT_WHEN_DOWNED =
      "pekko.coordinated-shutdown.reason-overrides {\n"
          + "  \"org.apache.pekko.actor.CoordinatedShutdown$ClusterDowningReason$\".exit-jvm = on\n"
          + "  \"org.apache.pekko.actor.CoordinatedShutdown$ClusterJoinUnsuccessfulReason$\""
          + ".exit-jvm = on\n"
          + "}\n";

  private static Address address(String systemName, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new Address(
        "pekko",
        systemName,
        hostPort.substring(0, colon),
        Integer.parseInt(hostPort.substring(colon + 1)));
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** "host:port" of this member's Artery endpoint, for others to join. */
  public String hostPort() {
    Address a = Cluster.get(system).selfMember().address();
    return a.host().get() + ":" + a.port().get();
  }

  public String managementUrl() {
    return managementUrl;
  }

  /** Leave the cluster gracefully and wait for the ActorSystem to stop. */
  @Override
  public void close() {
    system.terminate();
    // A downed member (exit-jvm on) calls System.exit in a callback of the classic system's
    // termination, and System.exit runs this in a shutdown hook; the typed whenTerminated completes
    // only after that callback returns, so waiting for it here would hold the exit for the whole
    // timeout (30 s). The classic termination is complete by then: nothing is left to wait for.
    if (system.classicSystem().whenTerminated().isCompleted()) return;
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      // shutting down anyway
    }
  }
}
