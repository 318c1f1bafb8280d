package io.outrigger.lab.report;

import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Draws operations as an inline SVG timeline: one lane per client (and one for the final reads),
 * each operation a bar from invocation to completion coloured by outcome (writes tall, reads thin),
 * fault windows shaded and labelled, an axis in seconds, and a hover title on every bar. Operations
 * in {@code highlighted} get a thick outline.
 */
final class TimelineSvg {
  static final int WIDTH = 1200;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 34;
  private static final int LANE = 22;
  private static final int LABELLED_LANE = 44;
  private static final int AXIS = 28;

  private TimelineSvg() {}

  /**
   * @param fromNanos left edge of the plot
   * @param toNanos right edge of the plot
   */
  static String render(
      List<Operation> ops,
      List<FaultWindow> faults,
      Set<Integer> highlighted,
      long fromNanos,
      long toNanos) {
    return render(ops, faults, highlighted, fromNanos, toNanos, false);
  }

  /** As above; {@code labelled} writes each operation's action and value above its bar. */
  static String render(
      List<Operation> ops,
      List<FaultWindow> faults,
      Set<Integer> highlighted,
      long fromNanos,
      long toNanos,
      boolean labelled) {
    List<Integer> lanes = lanes(ops);
    int lane = labelled ? LABELLED_LANE : LANE;
    int height = TOP + lanes.size() * lane + AXIS;
    Scale x = new Scale(fromNanos, Math.max(toNanos, fromNanos + 1));
    StringBuilder svg = new StringBuilder();
    svg.append(
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">"
            .formatted(WIDTH, height));
    svg.append(
        "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#b9bec5\"/>"
            + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a9099\" stroke-width=\"3\"/>"
            + "</pattern></defs>");
    for (int i = 0; i < lanes.size(); i++) {
      int y = TOP + i * lane;
      svg.append(
          "<rect class=\"lane%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
              .formatted(i % 2 == 0 ? " even" : "", LEFT, y, WIDTH - LEFT - RIGHT, lane));
      svg.append(
          "<text class=\"lane-label\" x=\"%d\" y=\"%d\">%s</text>"
              .formatted(LEFT - 8, y + lane / 2 + 4, laneName(lanes.get(i))));
    }
    faults.forEach(w -> fault(svg, w, x, height));
    axis(svg, x, height);
    for (Operation op : ops) {
      int laneY = TOP + lanes.indexOf(op.process()) * lane;
      if (labelled) {
        svg.append(
            "<text class=\"op-label\" x=\"%.1f\" y=\"%d\">%s</text>"
                .formatted(x.at(op.startNanos()), laneY + 14, Html.escape(label(op))));
        laneY += lane - LANE - 2;
      }
      bar(svg, op, x, laneY, highlighted.contains(op.id()), toNanos);
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static List<Integer> lanes(List<Operation> ops) {
    TreeSet<Integer> clients = new TreeSet<>();
    ops.forEach(op -> clients.add(op.process()));
    boolean hasFinal = clients.remove(Operation.FINAL_PROCESS);
    List<Integer> lanes = new java.util.ArrayList<>(clients);
    if (hasFinal) {
      lanes.add(Operation.FINAL_PROCESS);
    }
    return lanes;
  }

  private static String laneName(int process) {
    return process == Operation.FINAL_PROCESS ? "final" : "c" + process;
  }

  private static void fault(StringBuilder svg, FaultWindow w, Scale x, int height) {
    double x0 = x.at(w.startNanos());
    double x1 = Math.max(x.at(w.endNanos()), x0 + 2);
    svg.append(
        "<g class=\"fault\"><title>%s&#10;%.3f s – %.3f s%s</title>"
            .formatted(
                Html.escape(w.description()),
                w.startNanos() / 1e9,
                w.endNanos() / 1e9,
                w.applyMillis() >= 0
                    ? "&#10;applied on every node in " + w.applyMillis() + " ms"
                    : ""));
    svg.append(
        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>"
            .formatted(x0, TOP - 16, x1 - x0, height - AXIS - TOP + 16));
    svg.append(
        "<text x=\"%.1f\" y=\"%d\">%s</text></g>"
            .formatted(x0 + 4, TOP - 5, Html.escape(w.description())));
  }

  private static void axis(StringBuilder svg, Scale x, int height) {
    int y = height - AXIS + 4;
    double span = (x.to - x.from) / 1e9;
    double step = niceStep(span / 10);
    for (double t = Math.ceil(x.from / 1e9 / step) * step; t <= x.to / 1e9; t += step) {
      double px = x.at((long) (t * 1e9));
      svg.append(
          "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><text class=\"tick-label\" x=\"%.1f\" y=\"%d\">%s s</text>"
              .formatted(px, TOP, px, y, px, y + 14, trim(t)));
    }
  }

  private static void bar(
      StringBuilder svg, Operation op, Scale x, int laneY, boolean highlight, long toNanos) {
    double x0 = x.at(op.startNanos());
    long end = op.type() == Outcome.INFO ? Math.max(op.endNanos(), op.startNanos()) : op.endNanos();
    double w = Math.max(x.at(Math.min(end, toNanos)) - x0, 2);
    boolean write = op.isWrite();
    double h = write ? 14 : 7;
    double y = laneY + (LANE - h) / 2;
    String cls =
        "op %s %s%s"
            .formatted(op.type().wireName(), op.f().wireName(), highlight ? " witness" : "");
    svg.append(
        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%s\"><title>%s</title></rect>"
            .formatted(cls, x0, y, w, h, write ? "1" : "3.5", Html.escape(title(op))));
  }

  private static String label(Operation op) {
    String value = op.isWrite() || op.type() == Outcome.OK ? quote(op.value()) : "";
    String action =
        op.isWrite() ? "write " + value : op.type() == Outcome.OK ? "read → " + value : "read";
    return action + " · " + op.type().wireName() + " · " + op.node();
  }

  static String title(Operation op) {
    StringBuilder t = new StringBuilder();
    t.append(op.f().wireName()).append(' ').append(op.key());
    if (op.isWrite()) {
      t.append(" := ").append(quote(op.value()));
    } else if (op.type() == Outcome.OK) {
      t.append(" → ").append(quote(op.value()));
    }
    t.append("\n").append(op.type().wireName().toUpperCase(java.util.Locale.ROOT));
    t.append(" · ")
        .append(op.process() == Operation.FINAL_PROCESS ? "final read" : "client c" + op.process());
    t.append(" · sent to ").append(op.node());
    if (op.replica() != null) {
      t.append(", answered by ").append(op.replica());
    }
    if (op.version() != null) {
      t.append(" · version ").append(op.version());
    }
    t.append(
        "\n%.3f s → %.3f s (%.1f ms)"
            .formatted(
                op.startNanos() / 1e9,
                op.endNanos() / 1e9,
                (op.endNanos() - op.startNanos()) / 1e6));
    if (op.error() != null) {
      t.append("\n").append(op.error());
    }
    return t.toString();
  }

  private static String quote(String v) {
    return v == null ? "nil" : "\"" + v + "\"";
  }

  private static double niceStep(double raw) {
    double pow = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * pow >= raw) {
        return m * pow;
      }
    }
    return 10 * pow;
  }

  private static String trim(double t) {
    String s = "%.3f".formatted(t);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private record Scale(long from, long to) {
    double at(long nanos) {
      return LEFT + (double) (nanos - from) / (to - from) * (WIDTH - LEFT - RIGHT);
    }
  }
}
