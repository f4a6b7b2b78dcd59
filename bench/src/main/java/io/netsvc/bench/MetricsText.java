package io.netsvc.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks read from the members' {@code GET /metrics} (Prometheus text): a histogram's
 * buckets summed over every label but {@code le}, and a counter's sum, so that two scrapes taken
 * around a measurement give that measurement's own distribution.
 */
final class MetricsText {
  private MetricsText() {}

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
  private static final Pattern LE = Pattern.compile("le=\"([^\"]*)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The bodies of {@code GET url} for each URL; an unreachable member gives an empty text. */
  static List<String> scrape(List<String> urls) {
    return urls.stream().map(MetricsText::get).toList();
  }

  private static String get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * Cumulative bucket counts of histogram {@code name} (without {@code _bucket}) by upper bound in
   * seconds ({@code +Inf} as infinity), summed over the texts and over all other labels.
   */
  static TreeMap<Double, Double> buckets(List<String> texts, String name) {
    TreeMap<Double, Double> out = new TreeMap<>();
    for (String text : texts) {
      for (String line : text.split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.find() || !m.group(1).equals(name + "_bucket") || m.group(3) == null) continue;
        Matcher le = LE.matcher(m.group(3));
        if (!le.find()) continue;
        double bound =
            le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        out.merge(bound, Double.parseDouble(m.group(4)), Double::sum);
      }
    }
    return out;
  }

  /**
   * The sum of counter {@code name} over the texts, over series whose labels contain {@code with}.
   */
  static double counter(List<String> texts, String name, String with) {
    double sum = 0;
    for (String text : texts) {
      for (String line : text.split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.find() || !m.group(1).equals(name)) continue;
        if (!with.isEmpty() && (m.group(3) == null || !m.group(3).contains(with))) continue;
        sum += Double.parseDouble(m.group(4));
      }
    }
    return sum;
  }

  /** {@code after - before}, bucket by bucket: what was observed between the two scrapes. */
  static TreeMap<Double, Double> minus(Map<Double, Double> after, Map<Double, Double> before) {
    TreeMap<Double, Double> out = new TreeMap<>();
    after.forEach((le, n) -> out.put(le, n - before.getOrDefault(le, 0.0)));
    return out;
  }

  /** How many observations cumulative buckets hold (the {@code +Inf} bucket). */
  static long count(TreeMap<Double, Double> cumulative) {
    return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
  }

  /**
   * The nearest-rank {@code p}th percentile in milliseconds, as the upper bound of the bucket it
   * falls in (so "at most"); NaN without observations, infinity past the last finite bucket.
   */
  static double percentileMs(TreeMap<Double, Double> cumulative, double p) {
    long n = count(cumulative);
    if (n == 0) return Double.NaN;
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) return e.getKey() * 1000;
    }
    return Double.POSITIVE_INFINITY;
  }
}
