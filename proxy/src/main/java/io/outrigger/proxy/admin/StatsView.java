package io.outrigger.proxy.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.outrigger.proxy.stats.envoy.EnvoyStat;
import io.outrigger.proxy.stats.envoy.HistogramData;
import io.outrigger.proxy.stats.envoy.StatName;
import io.outrigger.proxy.stats.envoy.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code /stats} as Envoy's admin writes it: counters and gauges as {@code name: value}, sorted,
 * then each histogram as its quantiles P0 … P100, {@code (interval,cumulative)}; or the same as
 * {@code ?format=json}. {@code ?filter=REGEX} keeps the names it finds a match in, {@code
 * ?usedonly} the statistics ever written.
 */
final class StatsView {
  /** Envoy's supported quantiles, in percent. */
  static final double[] QUANTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100};

  private StatsView() {}

  /** Which statistics {@code ?filter} and {@code ?usedonly} keep. */
  static Predicate<EnvoyStat> keep(Pattern filter, boolean usedOnly) {
    return s ->
        (!usedOnly || s.used()) && (filter == null || filter.matcher(text(s.name())).find());
  }

  static String text(
      List<EnvoyStat> stats, Map<StatName, HistogramData> intervals, Predicate<EnvoyStat> keep) {
    StringBuilder sb = new StringBuilder();
    List<EnvoyStat> histograms = new ArrayList<>();
    for (EnvoyStat s : stats) {
      if (!keep.test(s)) {
        continue;
      }
      if (s.kind() == EnvoyStat.Kind.HISTOGRAM) {
        histograms.add(s);
      } else {
        sb.append(text(s.name())).append(": ").append(number(s.value())).append('\n');
      }
    }
    for (EnvoyStat h : histograms) {
      sb.append(text(h.name())).append(": ");
      if (h.histogram().count() == 0) {
        sb.append("No recorded values\n");
        continue;
      }
      HistogramData interval = intervals.get(h.name());
      for (int i = 0; i < QUANTILES.length; i++) {
        double q = QUANTILES[i] / 100;
        sb.append(i == 0 ? "" : " ")
            .append('P')
            .append(number(QUANTILES[i]))
            .append('(')
            .append(interval == null ? "nan" : number(interval.quantile(q)))
            .append(',')
            .append(number(h.histogram().quantile(q)))
            .append(')');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String json(
      List<EnvoyStat> stats, Map<StatName, HistogramData> intervals, Predicate<EnvoyStat> keep) {
    JsonArray out = new JsonArray();
    JsonArray computed = new JsonArray();
    for (EnvoyStat s : stats) {
      if (!keep.test(s)) {
        continue;
      }
      if (s.kind() != EnvoyStat.Kind.HISTOGRAM) {
        JsonObject o = new JsonObject();
        o.addProperty("name", text(s.name()));
        o.addProperty("value", s.value() == Math.rint(s.value()) ? (long) s.value() : s.value());
        out.add(o);
        continue;
      }
      HistogramData interval = intervals.get(s.name());
      JsonArray values = new JsonArray();
      for (double q : QUANTILES) {
        JsonObject v = new JsonObject();
        v.add("interval", value(interval == null ? Double.NaN : interval.quantile(q / 100)));
        v.add("cumulative", value(s.histogram().quantile(q / 100)));
        values.add(v);
      }
      JsonObject h = new JsonObject();
      h.addProperty("name", text(s.name()));
      h.add("values", values);
      computed.add(h);
    }
    JsonObject histograms = new JsonObject();
    JsonArray supported = new JsonArray();
    for (double q : QUANTILES) {
      supported.add(q == Math.rint(q) ? (Number) (long) q : (Number) q);
    }
    histograms.add("supported_quantiles", supported);
    histograms.add("computed_quantiles", computed);
    JsonObject wrapper = new JsonObject();
    wrapper.add("histograms", histograms);
    out.add(wrapper);
    JsonObject root = new JsonObject();
    root.add("stats", out);
    return root.toString() + "\n";
  }

  private static com.google.gson.JsonElement value(double v) {
    return Double.isNaN(v) ? JsonNull.INSTANCE : new JsonPrimitive(v);
  }

  /** The dotted name, with Outrigger's own labels (rare) as {@code {peer=kv-2}}. */
  static String text(StatName name) {
    if (name.labels().isEmpty()) {
      return name.name();
    }
    StringBuilder sb = new StringBuilder(name.name()).append('{');
    for (Tag t : name.labels()) {
      sb.append(t.name()).append('=').append(t.value()).append(',');
    }
    sb.setCharAt(sb.length() - 1, '}');
    return sb.toString();
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? Long.toString((long) v)
        : Double.toString(Math.round(v * 1000) / 1000.0);
  }
}
