package io.outrigger.lab;

import io.outrigger.lab.checker.Availability;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.checker.LinearizabilityChecker;
import io.outrigger.lab.checker.LinearizabilityResult;
import io.outrigger.lab.checker.StaleReads;
import io.outrigger.lab.history.History;
import io.outrigger.lab.history.HistoryRecorder;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.nemesis.ControlPlaneClient;
import io.outrigger.lab.nemesis.Nemesis;
import io.outrigger.lab.nemesis.NemesisKind;
import io.outrigger.lab.report.HistoryJsonl;
import io.outrigger.lab.report.HtmlReport;
import io.outrigger.lab.report.Json;
import io.outrigger.lab.report.LabReport;
import io.outrigger.lab.workload.FinalReads;
import io.outrigger.lab.workload.StoreClient;
import io.outrigger.lab.workload.Workload;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one partition experiment against a running mesh and writes its report.
 *
 * <p>The run: clients (see {@link Workload}) and the nemesis (see {@link Nemesis}) run together for
 * the duration; then the nemesis heals; in the cp modes every key is read once more from every node
 * through the normal (quorum) path, and those final reads join the history; then every replica is
 * read locally until all agree ({@code ap}: up to {@link #CONVERGENCE_BOUND}; cp modes: one round,
 * informational). The history is checked (see {@link LabReport#validity()}) and {@code
 * report.json}, {@code report.html} and {@code history.jsonl} are written into the report folder.
 *
 * <p>Keys are fresh per run ({@code lab-<run id>-k0}...), so a mesh that already served a run
 * starts every register empty, as the checker assumes.
 */
public final class Lab {
  private static final Logger log = LoggerFactory.getLogger(Lab.class);

  /** How long the nemesis waits for every node to ACK a fault change. */
  public static final Duration APPLY_TIMEOUT = Duration.ofSeconds(5);

  /** How long after the heal ap replicas get to agree. */
  public static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(10);

  private static final long CONVERGENCE_POLL_NANOS = 100_000_000;

  private Lab() {}

  /** {@link #run(LabTarget, LabOptions, LabClock)} with the system clock. */
  public static LabResult run(LabTarget target, LabOptions options)
      throws IOException, InterruptedException {
    return run(target, options, LabClock.system());
  }

  /**
   * Runs the experiment on the calling thread (plus {@code clients} worker threads and a nemesis
   * thread) and returns once the report is written: about {@code duration} plus the final reads.
   *
   * @throws IOException when the report folder cannot be written
   * @throws IllegalArgumentException when a nemesis is asked for without a control plane or with
   *     fewer than two nodes
   */
  public static LabResult run(LabTarget target, LabOptions options, LabClock clock)
      throws IOException, InterruptedException {
    NemesisKind kind = options.nemesisKind();
    List<String> nodes = target.storeUrls().keySet().stream().sorted().toList();
    if (kind != NemesisKind.NONE && (target.controlPlane() == null || nodes.size() < 2)) {
      throw new IllegalArgumentException(
          "nemesis %s needs a control plane and at least two nodes".formatted(options.nemesis()));
    }
    Instant startedAt = clock.now();
    String runId = Long.toString(startedAt.toEpochMilli(), 36);
    List<String> keys =
        IntStream.range(0, options.keys()).mapToObj(i -> "lab-" + runId + "-k" + i).toList();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(options.opTimeout())
            .build();
    StoreClient store = new StoreClient(http, options.opTimeout());
    HistoryRecorder recorder = new HistoryRecorder(clock::nanoTime);
    Workload workload =
        new Workload(store, target.storeUrls(), keys, recorder, options.seed(), clock);
    Nemesis nemesis =
        new Nemesis(
            target.controlPlane() == null
                ? null
                : new ControlPlaneClient(
                    http, target.controlPlane(), target.controlPlaneToken(), APPLY_TIMEOUT),
            kind,
            nodes,
            new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L),
            recorder,
            clock,
            options.interval(),
            APPLY_TIMEOUT);
    log.info(
        "lab {}: {} / {} on {} for {}",
        runId,
        options.mode(),
        options.nemesis(),
        nodes,
        options.duration());

    long deadline = options.duration().toNanos();
    AtomicReference<Throwable> nemesisFailure = new AtomicReference<>();
    Thread nemesisThread =
        new Thread(
            () -> {
              try {
                nemesis.run(deadline);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                nemesisFailure.set(e);
              }
            },
            "lab-nemesis");
    nemesisThread.setDaemon(true);
    nemesisThread.start();
    workload.run(options.clients(), deadline, options.opTimeout());
    nemesisThread.join();
    if (nemesisFailure.get() != null) {
      log.warn("nemesis stopped early", nemesisFailure.get());
    }
    long healedAt = nemesis.healedAtNanos() < 0 ? recorder.now() : nemesis.healedAtNanos();

    if (options.linearizabilityMode()) {
      for (String key : keys) {
        for (String node : nodes) {
          recorder.record(workload.read(Operation.FINAL_PROCESS, node, key));
        }
      }
    }
    long bound = options.linearizabilityMode() ? 0 : CONVERGENCE_BOUND.toNanos();
    Convergence convergence =
        new FinalReads(store, target.storeUrls(), keys, recorder)
            .await(healedAt, bound, CONVERGENCE_POLL_NANOS, clock);

    LabReport report =
        check(options, nodes, keys, startedAt, recorder.history(), convergence, nemesis.errors());
    return write(options.reportDir(), report);
  }

  /** Runs the checkers the mode calls for over a finished history. */
  public static LabReport check(
      LabOptions options,
      List<String> nodes,
      List<String> keys,
      Instant startedAt,
      History history,
      Convergence convergence,
      List<String> nemesisErrors) {
    LinearizabilityResult linearizability =
        options.linearizabilityMode()
            ? new LinearizabilityChecker().check(history.operations())
            : null;
    StaleReads stale = options.linearizabilityMode() ? null : StaleReads.of(history.operations());
    return new LabReport(
        options.mode(),
        options.nemesis(),
        options.seed(),
        nodes,
        keys,
        options.clients(),
        startedAt,
        options.duration().toMillis(),
        options.interval().toMillis(),
        history,
        Availability.of(history),
        linearizability,
        stale,
        convergence,
        nemesisErrors);
  }

  /** Writes the three report files into {@code dir} (created if missing). */
  public static LabResult write(Path dir, LabReport report) throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve("report.json");
    Path html = dir.resolve("report.html");
    Path history = dir.resolve("history.jsonl");
    Files.writeString(
        json, Json.GSON_PRETTY.toJson(Json.report(report)) + "\n", StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    HistoryJsonl.write(report.history(), history);
    log.info("lab: {}; report in {}", report.summary(), html);
    return new LabResult(report.validity(), json, html, history, report);
  }
}
