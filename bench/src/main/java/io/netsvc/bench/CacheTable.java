package io.netsvc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory benchmark's informer-cache result: per watched kind, the heap that went away when the
 * member dropped the kind's informer (fabric8's store of the objects) and then netsvc's own records
 * of them (the ServiceLB and NetworkPolicy caches), per cached object. A figure smaller than the
 * noise (twice what the heap moved with nothing dropped) is flagged rather than trusted.
 */
final class CacheTable {
  private CacheTable() {}

  /**
   * One kind's two steps.
   *
   * @param kind the API resource, e.g. pods
   * @param objects how many objects the informer cached (over the members)
   * @param informerBytes live heap that went away with the informer
   * @param records how many records netsvc's caches held of the kind
   * @param recordBytes live heap that went away with those records
   */
  record Sample(String kind, long objects, long informerBytes, long records, long recordBytes) {
    long bytes() {
      return informerBytes + recordBytes;
    }
  }

  /** Bytes per object, or NaN without objects. */
  static double perObject(long bytes, long objects) {
    return objects == 0 ? Double.NaN : bytes / (double) objects;
  }

  /** Whether {@code bytes} is within {@code noise} bytes of nothing: twice the noise or less. */
  static boolean noisy(long bytes, long noise) {
    return bytes <= 2 * Math.abs(noise);
  }

  /**
   * A Markdown table, one row per kind and one for all; {@code noise} is what the heap moved
   * between two histograms with nothing dropped. A per-object figure whose bytes are within the
   * noise is marked "~" (noise), and the kind's verdict says which part.
   */
  static String table(List<Sample> samples, long noise) {
    List<String> out = new ArrayList<>();
    out.add(
        "| kind | objects | informer KiB | informer B/object | netsvc records | records KiB |"
            + " records B/object | total B/object | noise |");
    out.add("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    long objects = 0;
    long informer = 0;
    long recordBytes = 0;
    long records = 0;
    for (Sample s : samples) {
      out.add(row(s, noise));
      objects += s.objects();
      informer += s.informerBytes();
      records += s.records();
      recordBytes += s.recordBytes();
    }
    out.add(row(new Sample("all", objects, informer, records, recordBytes), noise));
    return String.join("\n", out) + "\n";
  }

  private static String row(Sample s, long noise) {
    List<String> flags = new ArrayList<>();
    if (noisy(s.informerBytes(), noise)) flags.add("informer");
    if (s.records() > 0 && noisy(s.recordBytes(), noise)) flags.add("records");
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.1f | %s | %d | %.1f | %s | %s | %s |",
        s.kind(),
        s.objects(),
        s.informerBytes() / 1024.0,
        figure(s.informerBytes(), s.objects(), noise),
        s.records(),
        s.recordBytes() / 1024.0,
        s.records() == 0 ? "-" : figure(s.recordBytes(), s.objects(), noise),
        figure(s.bytes(), s.objects(), noise),
        flags.isEmpty() ? "-" : "within noise: " + String.join(", ", flags));
  }

  /** Bytes per object; "-" without objects, prefixed "~" when the bytes are within the noise. */
  private static String figure(long bytes, long objects, long noise) {
    double b = perObject(bytes, objects);
    if (Double.isNaN(b)) return "-";
    return (noisy(bytes, noise) ? "~" : "") + String.format(Locale.ROOT, "%.0f", b);
  }
}
