package io.outrigger.perf.soak;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict of a soak: resource growth between minute 5 and the end (scaled for shorter runs: the
 * same one sixth of the duration), and every request that was not answered 2xx sorted into
 * <em>injected</em> (it failed while the flapping upstream was down, or within {@link #GRACE_MS} of
 * its return) and <em>unexpected</em> (any other time). Passes when nothing unexpected failed, RSS,
 * file descriptors and both event-loop queues grew by less than the bound, and the sidecar ended
 * SYNCED.
 */
final class SoakReport {
  static final long GRACE_MS = 2_000;
  static final double BOUND_PERCENT = 5;

  /** One sampling interval: what the sidecar looked like, and what the clients saw. */
  record Row(double elapsedS, SidecarSampler.Sample sample, Tally.Interval load) {}

  private final List<Row> rows;
  private final List<FailureLog.Failure> failures;
  private final SoakEvents events;
  private final double durationS;

  SoakReport(
      List<Row> rows, List<FailureLog.Failure> failures, SoakEvents events, double durationS) {
    this.rows = List.copyOf(rows);
    this.failures = List.copyOf(failures);
    this.events = events;
    this.durationS = durationS;
  }

  List<Growth> growth() {
    double startS = durationS / 6; // minute 5 of 30
    double half = Math.max(durationS / 60, 10); // ± 30 s of 30 min, at least one sample either side
    return List.of(
        grow("RSS (MiB)", r -> r.sample().rssKib() / 1024, startS, half, 0),
        grow("open file descriptors", r -> r.sample().fds(), startS, half, 0),
        grow("worker event-loop pending tasks", r -> r.sample().pendingWorker(), startS, half, 2),
        grow("admin event-loop pending tasks", r -> r.sample().pendingAdmin(), startS, half, 2));
  }

  /** Informational only: heap and threads are not bounded by the issue, but tell a leak's kind. */
  List<Growth> context() {
    double startS = durationS / 6;
    double half = Math.max(durationS / 60, 10);
    return List.of(
        grow("heap used (MiB)", r -> r.sample().heapUsedMib(), startS, half, 0),
        grow("heap committed (MiB)", r -> r.sample().heapCommittedMib(), startS, half, 0),
        grow(
            "RSS outside the heap (RSS − heap committed, MiB)",
            r -> r.sample().rssKib() / 1024 - r.sample().heapCommittedMib(),
            startS,
            half,
            0),
        grow(
            "file descriptors besides proxied connections (fds − downstream − upstream)",
            r -> r.sample().fds() - r.sample().downstreamCxActive() - r.sample().upstreamCxActive(),
            startS,
            half,
            0),
        grow("machine load average (1 min)", r -> r.sample().machineLoad(), startS, half, 0),
        grow("threads", r -> r.sample().threads(), startS, half, 0),
        grow("downstream connections open", r -> r.sample().downstreamCxActive(), startS, half, 0),
        grow("upstream connections open", r -> r.sample().upstreamCxActive(), startS, half, 0));
  }

  private Growth grow(
      String metric,
      java.util.function.ToDoubleFunction<Row> value,
      double startS,
      double half,
      double slack) {
    return Growth.of(
        metric, rows, Row::elapsedS, value, startS, durationS, half, BOUND_PERCENT, slack);
  }

  boolean injected(FailureLog.Failure f) {
    return events.windows("flap_down", "flap_up", GRACE_MS).stream()
        .anyMatch(w -> w.contains(f.endMs()));
  }

  List<FailureLog.Failure> unexpected() {
    return failures.stream().filter(f -> !injected(f)).toList();
  }

  String finalSync() {
    return rows.isEmpty() ? "NO_SAMPLE" : rows.get(rows.size() - 1).sample().sync();
  }

  boolean passes() {
    return unexpected().isEmpty()
        && growth().stream().allMatch(Growth::passes)
        && finalSync().equals("SYNCED")
        && rows.stream().mapToLong(r -> r.load().ok()).sum() > 0;
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    double startMin = durationS / 6 / 60;
    double endMin = durationS / 60;
    out.append(
        "| resource | minute %.1f | minute %.1f | growth | verdict (< %.0f %%) |\n"
            .formatted(startMin, endMin, BOUND_PERCENT));
    out.append("|---|---:|---:|---:|---|\n");
    growth().forEach(g -> out.append(row(g, g.passes() ? "pass" : "FAIL")));
    context().forEach(g -> out.append(row(g, "(not bounded)")));

    Map<String, long[]> byOutcome = new TreeMap<>();
    Tally.sum(rows.stream().map(r -> r.load().outcomes()).toList())
        .forEach((k, v) -> byOutcome.put(k, new long[] {v, 0, 0}));
    for (FailureLog.Failure f : failures) {
      long[] c = byOutcome.computeIfAbsent(f.outcome(), k -> new long[3]);
      c[injected(f) ? 1 : 2]++;
    }
    out.append("\n| outcome | requests | injected (flapping upstream down) | unexpected |\n");
    out.append("|---|---:|---:|---:|\n");
    byOutcome.forEach((k, c) -> out.append(outcomeRow(k, c)));
    out.append("\nEvents: ").append(events.counts()).append('\n');
    out.append("Sidecar sync state at the end: ").append(finalSync()).append('\n');
    out.append(
        "Sync states sampled: %s%n"
            .formatted(Tally.sum(rows.stream().map(r -> Map.of(r.sample().sync(), 1L)).toList())));
    List<FailureLog.Failure> unexpected = unexpected();
    if (!unexpected.isEmpty()) {
      out.append("\nUnexpected failures (first 20), with the events within 5 s:\n\n");
      for (FailureLog.Failure f : unexpected.subList(0, Math.min(20, unexpected.size()))) {
        out.append(
            "- %d %s %s %s%n"
                .formatted(f.endMs(), f.outcome(), f.detail(), events.near(f.endMs(), 5000)));
      }
    }
    out.append(passes() ? "\nPASS\n" : "\nFAIL\n");
    return out.toString();
  }

  private static String outcomeRow(String outcome, long[] counts) {
    if (Tally.is2xx(outcome)) {
      return "| %s | %,d | | |%n".formatted(outcome, counts[0]);
    }
    if (outcome.equals(OpenLoopLoad.SKIPPED)) {
      return "| %s (not sent: %,d requests were already waiting) | %,d | | |%n"
          .formatted(outcome, OpenLoopLoad.MAX_IN_FLIGHT, counts[0]);
    }
    return "| %s | %,d | %d | %d |%n".formatted(outcome, counts[0], counts[1], counts[2]);
  }

  private static String row(Growth g, String verdict) {
    String percent = Double.isNaN(g.percent()) ? "n/a" : "%+.1f %%".formatted(g.percent());
    return "| %s | %.1f | %.1f | %s | %s |%n"
        .formatted(g.metric(), g.start(), g.end(), percent, verdict);
  }
}
