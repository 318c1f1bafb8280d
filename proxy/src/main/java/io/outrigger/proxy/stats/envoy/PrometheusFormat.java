package io.outrigger.proxy.stats.envoy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Envoy's Prometheus exposition ({@code /stats/prometheus}, {@code /stats?format=prometheus}):
 * {@code envoy_} and the tag-extracted name with every character outside {@code [a-zA-Z0-9_]} made
 * {@code _}, the tags as labels, counters without {@code _total}, histograms in milliseconds over
 * Envoy's default buckets with {@code _bucket}, {@code _sum} and {@code _count}. Families sorted by
 * name, each with its {@code # TYPE} line (Envoy writes no {@code # HELP}).
 */
public final class PrometheusFormat {
  private PrometheusFormat() {}

  /**
   * @param stats the statistics, as {@link EnvoyStats#snapshot()} gives them
   * @param keep which to write (by dotted name: Envoy's {@code ?filter} and {@code ?usedonly})
   */
  public static String render(List<EnvoyStat> stats, TagProducer tags, Predicate<EnvoyStat> keep) {
    Map<String, Family> families = new TreeMap<>();
    for (EnvoyStat stat : stats) {
      if (!keep.test(stat)) {
        continue;
      }
      TagProducer.Extracted e = tags.produce(stat.name().name());
      String family = "envoy_" + sanitize(e.name());
      List<Tag> labels = new ArrayList<>(e.tags());
      labels.addAll(stat.name().labels());
      Family f = families.computeIfAbsent(family, n -> new Family(stat.kind()));
      if (f.kind != stat.kind()) {
        continue; // Envoy too writes one type per family and drops the odd one out
      }
      if (stat.kind() == EnvoyStat.Kind.HISTOGRAM) {
        histogram(f.lines, family, labels, stat.histogram());
      } else {
        f.lines.add(family + labels(labels, null) + " " + number(stat.value()) + "\n");
      }
    }
    StringBuilder out = new StringBuilder();
    families.forEach(
        (name, f) -> {
          out.append("# TYPE ")
              .append(name)
              .append(' ')
              .append(f.kind.name().toLowerCase(java.util.Locale.ROOT))
              .append('\n');
          f.lines.forEach(out::append);
        });
    return out.toString();
  }

  private static void histogram(
      List<String> lines, String family, List<Tag> labels, HistogramData h) {
    for (double bound : HistogramData.ENVOY_BUCKETS) {
      lines.add(
          family
              + "_bucket"
              + labels(labels, bucket(bound))
              + " "
              + number(h.countAtOrBelow(bound))
              + "\n");
    }
    lines.add(family + "_bucket" + labels(labels, "+Inf") + " " + h.count() + "\n");
    lines.add(family + "_sum" + labels(labels, null) + " " + number(h.sumMs()) + "\n");
    lines.add(family + "_count" + labels(labels, null) + " " + h.count() + "\n");
  }

  private static String labels(List<Tag> tags, String le) {
    if (tags.isEmpty() && le == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder("{");
    for (Tag t : tags) {
      sb.append(sanitize(t.name())).append("=\"").append(escape(t.value())).append("\",");
    }
    if (le != null) {
      sb.append("le=\"").append(le).append("\",");
    }
    sb.setLength(sb.length() - 1);
    return sb.append('}').toString();
  }

  /** Envoy writes bucket bounds as C's {@code %g}: {@code 0.5}, {@code 60000}, {@code 3.6e+06}. */
  static String bucket(double bound) {
    if (bound >= 1e6) {
      int exp = (int) Math.floor(Math.log10(bound));
      String mantissa =
          new BigDecimal(bound / Math.pow(10, exp))
              .setScale(5, java.math.RoundingMode.HALF_EVEN)
              .stripTrailingZeros()
              .toPlainString();
      return mantissa + "e+" + (exp < 10 ? "0" : "") + exp;
    }
    return number(bound);
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static String sanitize(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static final class Family {
    final EnvoyStat.Kind kind;
    final List<String> lines = new ArrayList<>();

    Family(EnvoyStat.Kind kind) {
      this.kind = kind;
    }
  }
}
