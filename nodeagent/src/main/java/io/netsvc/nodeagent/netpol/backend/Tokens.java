package io.netsvc.nodeagent.netpol.backend;

import java.util.ArrayList;
import java.util.List;

/** Splits restore-file lines the way the tools do: on blanks, with double quotes grouping. */
final class Tokens {
  private Tokens() {}

  static List<String> split(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean inToken = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        current.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
        inToken = true;
      } else if (!quoted && Character.isWhitespace(c)) {
        if (inToken) {
          tokens.add(current.toString());
          current.setLength(0);
          inToken = false;
        }
      } else {
        current.append(c);
        inToken = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted string");
    }
    if (inToken) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  /** Whether a token is printed in quotes: it is empty or holds a blank or a quote. */
  static boolean needsQuotes(String token) {
    if (token.isEmpty()) return true;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isWhitespace(c) || c == '"') return true;
    }
    return false;
  }

  /** Joins tokens back, quoting the ones that need it, as {@code iptables-save} prints them. */
  static String join(List<String> tokens) {
    StringBuilder out = new StringBuilder();
    for (String token : tokens) {
      if (out.length() > 0) {
        out.append(' ');
      }
      if (needsQuotes(token)) {
        out.append('"').append(token.replace("\"", "\\\"")).append('"');
      } else {
        out.append(token);
      }
    }
    return out.toString();
  }
}
