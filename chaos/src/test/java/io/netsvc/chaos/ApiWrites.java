package io.netsvc.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The sim's log of writes to its API ({@link ProcessCluster#apiWrites()}), read back. */
final class ApiWrites {
  private ApiWrites() {}

  /** One request other than GET, as the sim received it. */
  record Write(long atMillis, String client, String method, String uri) {
    @Override
    public String toString() {
      return method + " " + uri + " from " + client + " at " + atMillis;
    }
  }

  /** Every write {@code client} (an address) made at or after {@code fromMillis}. */
  static List<Write> by(Path log, String client, long fromMillis) {
    return read(log).stream()
        .filter(w -> w.client().equals(client) && w.atMillis() >= fromMillis)
        .toList();
  }

  static List<Write> read(Path log) {
    try {
      if (!Files.exists(log)) return List.of();
      return Files.readAllLines(log).stream()
          .map(l -> l.split(" ", 4))
          .filter(f -> f.length == 4 && f[0].chars().allMatch(Character::isDigit))
          .map(f -> new Write(Long.parseLong(f[0]), f[1], f[2], f[3]))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
