package io.netsvc.nodeagent.netpol.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule spec (what follows {@code -A <chain>}), written in the order {@code iptables-save}
 * prints: addresses and protocol first, then the matches as given, then the target. Host addresses
 * carry their {@code /32} or {@code /128}. Keeping to the saved form lets a caller compare a saved
 * table with a rendered one without a rewrite after every restart.
 */
final class RuleText {
  /** kube-router clamps comments to 120 bytes; names are ASCII, so characters will do. */
  static final int MAX_COMMENT = 120;

  private String src;
  private String dst;
  private String proto;
  private String comment;
  private final List<String> matches = new ArrayList<>();
  private String target;

  static RuleText rule() {
    return new RuleText();
  }

  RuleText src(String ipOrCidr) {
    src = withPrefix(ipOrCidr);
    return this;
  }

  RuleText dst(String ipOrCidr) {
    dst = withPrefix(ipOrCidr);
    return this;
  }

  RuleText proto(String p) {
    proto = p;
    return this;
  }

  RuleText comment(String c) {
    comment = c;
    return this;
  }

  /** A match with its options, e.g. {@code -m set --match-set X src}. */
  RuleText match(String m) {
    if (!m.isEmpty()) matches.add(m);
    return this;
  }

  /** The target with its options, e.g. {@code MARK --set-xmark 0x10000/0x10000}. */
  String jump(String t) {
    target = t;
    return text();
  }

  private String text() {
    StringBuilder sb = new StringBuilder();
    if (src != null) sb.append(" -s ").append(src);
    if (dst != null) sb.append(" -d ").append(dst);
    if (proto != null) sb.append(" -p ").append(proto);
    if (comment != null) sb.append(" -m comment --comment ").append(quote(clean(comment)));
    for (String m : matches) sb.append(' ').append(m);
    sb.append(" -j ").append(target);
    return sb.substring(1);
  }

  private static String withPrefix(String ip) {
    if (ip.indexOf('/') >= 0) return ip;
    return ip + (ip.indexOf(':') >= 0 ? "/128" : "/32");
  }

  /** No control characters, quotes or backslashes, at most {@link #MAX_COMMENT} characters. */
  static String clean(String c) {
    StringBuilder sb = new StringBuilder();
    for (char ch : c.toCharArray()) {
      if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != '\'') sb.append(ch);
    }
    return sb.length() > MAX_COMMENT ? sb.substring(0, MAX_COMMENT) : sb.toString();
  }

  /** As iptables-save writes a string: bare when it is one safe word, else double-quoted. */
  static String quote(String s) {
    boolean bare = !s.isEmpty();
    for (char ch : s.toCharArray()) {
      boolean safe = ch == '_' || ch == '-' || Character.isLetterOrDigit(ch) && ch < 0x80;
      if (!safe) bare = false;
    }
    return bare ? s : "\"" + s + "\"";
  }
}
