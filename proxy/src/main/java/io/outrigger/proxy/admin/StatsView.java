package io.outrigger.proxy.admin;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /stats}: every statistic as {@code name: value}, one a line, sorted, with Envoy's scoped
 * names ({@code listener.L.downstream_cx_total}, {@code cluster.C.upstream_cx_total}); {@code
 * ?filter=REGEX} keeps the matching lines.
 */
final class StatsView {
  private StatsView() {}

  static String render(MeterRegistry registry, Pattern filter) {
    List<String> lines = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      String name = scopedName(meter.getId());
      List<Measurement> measurements = new ArrayList<>();
      meter.measure().forEach(measurements::add);
      for (Measurement m : measurements) {
        String full =
            measurements.size() == 1
                ? name
                : name + "." + m.getStatistic().getTagValueRepresentation();
        if (filter == null || filter.matcher(full).find()) {
          lines.add(full + ": " + format(m.getValue()));
        }
      }
    }
    lines.sort(null);
    return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
  }

  private static String scopedName(Meter.Id id) {
    String scope = "";
    StringBuilder rest = new StringBuilder();
    for (Tag t : id.getTagsAsIterable()) {
      if (t.getKey().equals("listener") || t.getKey().equals("cluster")) {
        scope = t.getKey() + "." + t.getValue() + ".";
      } else {
        rest.append(rest.length() == 0 ? "{" : ",")
            .append(t.getKey())
            .append('=')
            .append(t.getValue());
      }
    }
    return scope + id.getName() + (rest.length() == 0 ? "" : rest.append('}').toString());
  }

  private static String format(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? Long.toString((long) v)
        : Double.toString(v);
  }
}
