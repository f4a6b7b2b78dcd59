package io.netsvc.bench;

import io.netsvc.config.Cli;
import io.netsvc.config.ParseResult;
import io.netsvc.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code netsvc sim} a benchmark runs in. */
final class BenchSim {
  private BenchSim() {}

  /**
   * What {@code netsvc sim --nodes N <flags>} would run with, its kubeconfig and data in a fresh
   * temporary directory so that runs never share state.
   */
  static Settings settings(String tempPrefix, int nodes, String... flags) throws IOException {
    Path dir = Files.createTempDirectory(tempPrefix);
    List<String> cli =
        new ArrayList<>(
            List.of(
                "sim",
                "--nodes",
                String.valueOf(nodes),
                "--kubeconfig-out",
                dir.resolve("kubeconfig").toString(),
                "--data-dir",
                dir.toString()));
    cli.addAll(List.of(flags));
    return ((ParseResult.Run) Cli.parse(cli.toArray(String[]::new), Map.of())).settings();
  }
}
