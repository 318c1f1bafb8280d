package io.outrigger.perf.soak;

import java.io.BufferedWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The measuring half of {@code perf/soak} (the script runs the processes and the disturbances):
 * drives the sidecar at a fixed rate for the duration, samples it every interval into {@code
 * timeseries.tsv}, then writes {@code report.md} and exits 0 on PASS, 1 on FAIL.
 *
 * <pre>
 * java io.outrigger.perf.soak.SoakMain --url https://127.0.0.1:18700/ --ca ca.pem --rate 300
 *     --duration 1800 --interval 10 --pid PID --admin http://127.0.0.1:18701
 *     --control-plane http://127.0.0.1:18703 --api-token-file api.token --out DIR
 * </pre>
 *
 * It reads {@code DIR/events.tsv}, which the script appends to, to tell injected failures apart.
 */
public final class SoakMain {
  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    Path out = Path.of(a.get("out"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "300"));
    long durationS = Long.parseLong(a.get("duration"));
    long intervalS = Long.parseLong(a.getOrDefault("interval", "10"));
    Tally tally = new Tally();
    List<SoakReport.Row> rows = new ArrayList<>();
    boolean passed;
    SidecarSampler sampler =
        new SidecarSampler(
            Long.parseLong(a.get("pid")),
            URI.create(a.get("admin")),
            URI.create(a.get("control-plane")),
            Files.readString(Path.of(a.get("api-token-file"))).trim());
    try (FailureLog failures = new FailureLog(out.resolve("failures.tsv"));
        BufferedWriter series = Files.newBufferedWriter(out.resolve("timeseries.tsv"));
        OpenLoopLoad load =
            new OpenLoopLoad(
                URI.create(a.get("url")),
                rate,
                Path.of(a.get("ca")),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("client-lifetime", "30"))),
                tally,
                failures)) {
      series.write(
          "elapsed_s\tepoch_ms\trss_mib\tfds\tthreads\tpending_worker\tpending_admin\theap_used_mib\theap_committed_mib"
              + "\tdownstream_cx\tupstream_cx\tcp_connected\tsync\tin_flight\tok\tnot_ok"
              + "\tp50_ms\tp99_ms\tmax_ms\tsidecar_cpu_s\tsidecar_runqueue_s\tload_1m\toutcomes\n");
      long t0 = System.nanoTime();
      load.start();
      for (long tick = 1; tick * intervalS <= durationS; tick++) {
        long due = t0 + tick * intervalS * 1_000_000_000L;
        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
        SoakReport.Row row =
            new SoakReport.Row((System.nanoTime() - t0) / 1e9, sampler.sample(), tally.drain());
        rows.add(row);
        series.write(line(row, load.inFlight()));
        series.flush();
      }
      load.stop();
      // Requests still in flight end within their timeout; they count in the last interval.
      for (long i = 0; i < OpenLoopLoad.TIMEOUT.toMillis() / 100 + 10 && load.inFlight() > 0; i++) {
        Thread.sleep(100);
      }
      Tally.Interval rest = tally.drain();
      SoakReport.Row last = rows.remove(rows.size() - 1);
      Map<String, Long> merged = Tally.sum(List.of(last.load().outcomes(), rest.outcomes()));
      rows.add(
          new SoakReport.Row(
              last.elapsedS(),
              last.sample(),
              new Tally.Interval(
                  merged, last.load().p50Ms(), last.load().p99Ms(), last.load().maxMs())));
      SoakReport report =
          new SoakReport(
              rows, failures.failures(), SoakEvents.read(out.resolve("events.tsv")), durationS);
      String markdown = report.markdown();
      Files.writeString(out.resolve("report.md"), markdown);
      System.out.print(markdown);
      passed = report.passes();
    }
    System.out.flush();
    System.exit(passed ? 0 : 1);
  }

  private static String line(SoakReport.Row r, long inFlight) {
    SidecarSampler.Sample s = r.sample();
    Tally.Interval l = r.load();
    String outcomes =
        l.outcomes().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    return "%.0f\t%d\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f\t%.1f\t%.0f\t%.0f\t%.0f\t%s\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.2f\t%s%n"
        .formatted(
            r.elapsedS(),
            s.epochMs(),
            s.rssKib() / 1024,
            s.fds(),
            s.threads(),
            s.pendingWorker(),
            s.pendingAdmin(),
            s.heapUsedMib(),
            s.heapCommittedMib(),
            s.downstreamCxActive(),
            s.upstreamCxActive(),
            s.controlPlaneConnected(),
            s.sync(),
            inFlight,
            l.ok(),
            l.failed(),
            l.p50Ms(),
            l.p99Ms(),
            l.maxMs(),
            s.cpuSeconds(),
            s.runQueueSeconds(),
            s.machineLoad(),
            outcomes);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    for (String required :
        List.of(
            "url", "ca", "duration", "pid", "admin", "control-plane", "api-token-file", "out")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException("--" + required + " is required");
      }
    }
    return options;
  }
}
