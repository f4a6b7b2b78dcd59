package io.netsvc.nodeagent.netpol.lab;

import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.CommandRunner;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jnr.posix.POSIXFactory;

/** The lab's I/O helpers: the {@code ip} tool, sysctls of a namespace, the netns directory. */
final class NetnsTools {
  private NetnsTools() {}

  static final Path NETNS_DIR = Path.of("/var/run/netns");
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");
  private static final List<String> IP_PATHS =
      List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

  /** The {@code ip} binary, after checking that this process is root. */
  static String requireRootAndIp() throws BackendException {
    int euid = POSIXFactory.getPOSIX().geteuid();
    if (euid != 0) {
      throw new BackendException("netsvc: the network lab needs root (uid " + euid + ")");
    }
    for (String candidate : IP_PATHS) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new BackendException("netsvc: ip not found; install iproute2");
  }

  static void run(String ip, String... args) throws BackendException {
    List<String> command = new ArrayList<>(List.of(ip));
    command.addAll(List.of(args));
    CommandRunner.check(command, null, IP_TIMEOUT);
  }

  /**
   * Writes {@code /proc/sys/net/<key>}. Must run on a {@link NetnsExecutor} thread: the kernel
   * resolves {@code /proc/sys/net} against the calling thread's namespace.
   */
  static void sysctl(String key, String value) throws IOException {
    Files.writeString(Path.of("/proc/sys/net", key), value, StandardOpenOption.WRITE);
  }

  /** Sets sysctls of a fresh namespace before its links exist, so new links inherit them. */
  static void configure(String netns, List<String> enable, boolean ipv6) throws BackendException {
    // a reply to ARP for the node's address must come from any of its links (pods use it as
    // gateway)
    List<String> zero =
        new ArrayList<>(List.of("ipv4/conf/all/arp_ignore", "ipv4/conf/default/arp_ignore"));
    if (ipv6) {
      // no duplicate address detection: addresses are usable at once, and the lab owns the link
      zero.addAll(List.of("ipv6/conf/all/accept_dad", "ipv6/conf/default/accept_dad"));
    }
    try (NetnsExecutor executor = new NetnsExecutor(netns)) {
      executor.call(
          () -> {
            for (String key : enable) {
              sysctl(key, "1");
            }
            for (String key : zero) {
              sysctl(key, "0");
            }
            return null;
          },
          Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new BackendException("netsvc: cannot configure " + netns + ": " + e.getMessage(), e);
    }
  }

  /**
   * Kills what still runs inside {@code netns}, e.g. the agent processes of a lab whose JVM was
   * killed: deleting the name alone would leave them running in a namespace nobody can reach.
   */
  static void killProcessesIn(String ip, String netns) throws BackendException {
    String pids = CommandRunner.check(List.of(ip, "netns", "pids", netns), null, IP_TIMEOUT);
    long self = ProcessHandle.current().pid();
    pids.lines()
        .map(String::strip)
        .filter(l -> l.matches("[0-9]+"))
        .map(Long::parseLong)
        .filter(pid -> pid != self)
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  static boolean exists(String netns) {
    return Files.exists(NETNS_DIR.resolve(netns));
  }

  /** Deletes every namespace a lab with {@code prefix} may have made; returns their names. */
  static List<String> removeLeftovers(String prefix) throws BackendException {
    LabNames.checkPrefix(prefix);
    String ip = requireRootAndIp();
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(NETNS_DIR)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (LabNames.belongsTo(prefix, name)) {
          killProcessesIn(ip, name);
          run(ip, "netns", "delete", name);
          removed.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return removed;
    } catch (IOException e) {
      throw new BackendException("netsvc: cannot list " + NETNS_DIR + ": " + e.getMessage(), e);
    }
    return removed;
  }

  /** An IPv4 address and an optional (null) IPv6 one, each of the right family. */
  static List<InetAddress> addresses(String ipv4, String ipv6) {
    List<InetAddress> parsed = new ArrayList<>();
    parsed.add(literal(ipv4));
    if (!(parsed.get(0) instanceof Inet4Address)) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
    }
    if (ipv6 != null) {
      parsed.add(literal(ipv6));
      if (!(parsed.get(1) instanceof Inet6Address)) {
        throw new IllegalArgumentException("not an IPv6 address: " + ipv6);
      }
    }
    return parsed;
  }

  /** Checks {@code address/length}. */
  static void cidr(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0 || !cidr.substring(slash + 1).matches("\\d{1,3}")) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    literal(cidr.substring(0, slash));
  }

  /** Parses an IP literal without ever resolving a host name. */
  static InetAddress literal(String address) {
    if (address == null || !IP_LITERAL.matcher(address).matches()) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    try {
      return InetAddress.getByName(address);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e);
    }
  }
}
