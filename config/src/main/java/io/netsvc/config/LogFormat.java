package io.netsvc.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How log lines are written to stderr ({@code --log-format}). */
public enum LogFormat {
  /** One human-readable line per event (the default). */
  TEXT,
  /** One JSON object per line, for log collectors (Loki, Elasticsearch, Cloud Logging). */
  JSON;

  /** The flag's value, e.g. {@code json}. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<LogFormat> ofFlagValue(String value) {
    return Arrays.stream(values()).filter(f -> f.flagValue().equals(value)).findFirst();
  }
}
