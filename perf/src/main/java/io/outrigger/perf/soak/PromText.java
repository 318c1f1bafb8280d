package io.outrigger.perf.soak;

/**
 * Reads values out of a Prometheus text exposition: the only place the soak knows metric names'
 * spelling. A name matches as the sidecar spells it now ({@code server_event_loop_pending_tasks})
 * and with Envoy's {@code envoy_} prefix, so a renamed exposition still reads.
 */
final class PromText {
  private PromText() {}

  /**
   * The sum of every sample of metric {@code name} whose labels contain {@code labelPart} (empty:
   * all of them); NaN when there is none.
   */
  static double sum(String text, String name, String labelPart) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      int end = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String metric = line.substring(0, end >= 0 && end < space ? end : space);
      if (!metric.equals(name) && !metric.equals("envoy_" + name)) {
        continue;
      }
      String labels = end >= 0 && end < space ? line.substring(end, line.lastIndexOf('}') + 1) : "";
      if (!labels.contains(labelPart)) {
        continue;
      }
      try {
        sum += Double.parseDouble(line.substring(space + 1).trim());
        found = true;
      } catch (NumberFormatException e) {
        // a sample with a timestamp or an odd value: not ours
      }
    }
    return found ? sum : Double.NaN;
  }

  /** The sum of every sample of the first of {@code names} the exposition has; NaN for none. */
  static double first(String text, String... names) {
    for (String name : names) {
      double v = sum(text, name, "");
      if (!Double.isNaN(v)) {
        return v;
      }
    }
    return Double.NaN;
  }
}
