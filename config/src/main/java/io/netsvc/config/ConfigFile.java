package io.netsvc.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A K3s-style config file: a YAML mapping whose keys are long flag names without dashes, e.g.
 * {@code disable: [traefik, coredns]}. Command-line flags replace the file's value for the same
 * flag.
 */
final class ConfigFile {

  private ConfigFile() {}

  static Map<Flag, Given> load(Path file, Mode mode) {
    return read(YamlFiles.read(file, "config file"), file.toString(), mode);
  }

  /** Turns the document into raw flag values; {@code name} names the file in messages. */
  static Map<Flag, Given> read(JsonNode root, String name, Mode mode) {
    Map<Flag, Given> out = new EnumMap<>(Flag.class);
    if (root.isMissingNode() || root.isNull()) {
      return out;
    }
    String where = "config file " + name;
    if (!root.isObject()) {
      throw new UsageException(where + ": expected a mapping of flag names to values");
    }
    String origin = " (in " + where + ")";
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      Flag flag =
          Flag.byKey(e.getKey())
              .filter(f -> f != Flag.CONFIG && f.modes.contains(mode))
              .orElseThrow(
                  () ->
                      new UsageException(
                          "unknown key '"
                              + e.getKey()
                              + "' in "
                              + where
                              + " (not a flag of 'netsvc "
                              + mode.command()
                              + "')"));
      List<String> values = values(flag, e.getValue(), where);
      if (!values.isEmpty()) {
        out.put(flag, new Given(values, origin));
      }
    }
    return out;
  }

  /** File values first, then every flag given on the command line replaces the file's value. */
  static Map<Flag, Given> merge(Map<Flag, Given> file, Map<Flag, Given> commandLine) {
    Map<Flag, Given> out = new EnumMap<>(Flag.class);
    out.putAll(file);
    // --nodes and --scenario exclude each other: the one on the command line beats the file's other
    if (commandLine.containsKey(Flag.NODES)) {
      out.remove(Flag.SCENARIO);
    }
    if (commandLine.containsKey(Flag.SCENARIO)) {
      out.remove(Flag.NODES);
    }
    out.putAll(commandLine);
    return out;
  }

  private static List<String> values(Flag flag, JsonNode node, String where) {
    List<String> out = new ArrayList<>();
    if (node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      if (flag.kind != Flag.Kind.LIST) {
        throw new UsageException(
            "key '" + flag.key + "' in " + where + " takes a single value, not a list");
      }
      for (JsonNode item : node) {
        out.add(scalar(flag, item, where));
      }
      return out;
    }
    out.add(scalar(flag, node, where));
    return out;
  }

  private static String scalar(Flag flag, JsonNode node, String where) {
    if (!node.isValueNode() || node.isNull()) {
      throw new UsageException(
          "key '"
              + flag.key
              + "' in "
              + where
              + " must be a "
              + (flag.kind == Flag.Kind.LIST ? "string or a list of strings" : "single value"));
    }
    return node.asText();
  }
}
