package io.netsvc.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads a YAML file into a tree, turning every failure into a one-line {@link UsageException}. */
final class YamlFiles {

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private YamlFiles() {}

  /** The document's root; {@link MissingNode} for an empty file. {@code what}: "config file". */
  static JsonNode read(Path file, String what) {
    String where = what + " " + file;
    if (!Files.exists(file)) {
      throw new UsageException(where + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UsageException(where + ": not a readable file");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new UsageException(where + ": not UTF-8 text");
    } catch (IOException e) {
      throw new UsageException(where + ": cannot read: " + e.getMessage());
    }
    return parse(text, where);
  }

  /** Parses YAML text; {@code where} prefixes error messages. */
  static JsonNode parse(String text, String where) {
    try {
      JsonNode root = MAPPER.readTree(text);
      return root == null ? MissingNode.getInstance() : root;
    } catch (JsonProcessingException e) {
      throw new UsageException(where + ": invalid YAML: " + describe(e));
    } catch (IOException e) {
      throw new UsageException(where + ": cannot read: " + e.getMessage());
    }
  }

  // SnakeYAML messages span several lines (with a caret drawing); keep the first and the position.
  private static String describe(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
      Mark mark = m.getProblemMark();
      return m.getProblem().strip()
          + (mark == null
              ? ""
              : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")");
    }
    String msg = String.valueOf(e.getOriginalMessage()).strip();
    int nl = msg.indexOf('\n');
    String first = (nl < 0 ? msg : msg.substring(0, nl)).strip();
    JsonLocation loc = e.getLocation();
    if (loc != null && loc.getLineNr() > 0) {
      first += " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
    return first;
  }
}
