package io.netsvc.config;

import java.util.List;

/**
 * The raw text given for one flag, and where it came from: {@code origin} is empty for the command
 * line, else " (in config file …)" so that a message can point at the file.
 */
record Given(List<String> values, String origin) {

  Given {
    values = List.copyOf(values);
  }

  static Given commandLine(List<String> values) {
    return new Given(values, "");
  }

  /** The last value: for single-valued flags the last occurrence wins, as in K3s. */
  String last() {
    return values.get(values.size() - 1);
  }
}
