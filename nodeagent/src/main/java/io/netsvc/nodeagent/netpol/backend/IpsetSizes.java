package io.netsvc.nodeagent.netpol.backend;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Members per ipset, read from the tool's output: what the drift check compares with the sets it
 * applied. The headers of {@code ipset list -terse} carry each set's count ({@code Number of
 * entries}), so reading them costs O(sets); an {@code ipset save} lists every member of every set
 * (hundreds of thousands of lines on a node with thousands of policies) and is read only where the
 * headers lack the count (an ipset older than the line).
 */
public final class IpsetSizes {
  private IpsetSizes() {}

  private static final String NAME = "Name:";
  private static final String ENTRIES = "Number of entries:";

  /**
   * From {@code ipset list -terse}: empty when a set's header has no {@code Number of entries} line
   * (then read {@link #ofSave}).
   */
  public static Optional<Map<String, Integer>> ofTerseList(String list) {
    Map<String, Integer> out = new HashMap<>();
    String set = null;
    for (String raw : list.split("\n")) {
      String line = raw.strip();
      if (line.startsWith(NAME)) {
        if (set != null) return Optional.empty(); // the previous set had no count
        set = line.substring(NAME.length()).strip();
      } else if (line.startsWith(ENTRIES) && set != null) {
        try {
          out.put(set, Integer.parseInt(line.substring(ENTRIES.length()).strip()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        set = null;
      }
    }
    return set == null ? Optional.of(out) : Optional.empty();
  }

  /**
   * From {@code ipset save}: {@code create NAME ...} lines and {@code add NAME MEMBER} lines. Read
   * by index, without a regular expression or a split per line.
   */
  public static Map<String, Integer> ofSave(String save) {
    Map<String, Integer> out = new HashMap<>();
    int n = save.length();
    for (int start = 0; start < n; ) {
      int end = save.indexOf('\n', start);
      if (end < 0) end = n;
      int w0 = skipBlank(save, start, end);
      int w0End = word(save, w0, end);
      boolean create = w0End - w0 == 6 && save.startsWith("create", w0);
      boolean add = w0End - w0 == 3 && save.startsWith("add", w0);
      if (create || add) {
        int w1 = skipBlank(save, w0End, end);
        int w1End = word(save, w1, end);
        if (w1End > w1) {
          String set = save.substring(w1, w1End);
          if (create) out.putIfAbsent(set, 0);
          else if (skipBlank(save, w1End, end) < end) out.merge(set, 1, Integer::sum);
        }
      }
      start = end + 1;
    }
    return out;
  }

  // whitespace as String.trim and \s see it in these texts: spaces, tabs, a CR
  private static int skipBlank(String s, int i, int end) {
    while (i < end && s.charAt(i) <= ' ') i++;
    return i;
  }

  private static int word(String s, int i, int end) {
    while (i < end && s.charAt(i) > ' ') i++;
    return i;
  }
}
