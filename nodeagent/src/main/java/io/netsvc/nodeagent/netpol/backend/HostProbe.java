package io.netsvc.nodeagent.netpol.backend;

import io.netsvc.nodeagent.netpol.model.HostCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import jnr.posix.POSIXFactory;

/** Probes this process's tools, user and capabilities for {@link HostCheck}. */
public final class HostProbe {
  private HostProbe() {}

  /** The facts {@link HostCheck} decides from, for {@code tools}. */
  public static HostCheck.Facts facts(List<String> tools) {
    Set<String> found =
        tools.stream().filter(t -> Tools.find(t).isPresent()).collect(Collectors.toSet());
    return new HostCheck.Facts(found, POSIXFactory.getPOSIX().geteuid(), capEff());
  }

  /** The one line that says why this host cannot enforce policies with {@code tools}, if so. */
  public static Optional<String> problem(List<String> tools) {
    return HostCheck.problem(tools, facts(tools));
  }

  private static OptionalLong capEff() {
    try {
      return HostCheck.capEff(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException | RuntimeException e) {
      // not Linux: the user id alone decides
      return OptionalLong.empty();
    }
  }
}
