package io.outrigger.lab;

import io.outrigger.lab.checker.Availability;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.checker.LinearizabilityChecker;
import io.outrigger.lab.checker.LinearizabilityResult;
import io.outrigger.lab.checker.StaleReads;
import io.outrigger.lab.history.History;
import io.outrigger.lab.leader.Elections;
import io.outrigger.lab.nemesis.NemesisKind;
import io.outrigger.lab.report.HistoryJsonl;
import io.outrigger.lab.report.HtmlReport;
import io.outrigger.lab.report.Json;
import io.outrigger.lab.report.LabReport;
import io.outrigger.lab.store.StoreAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * <p>Operations reach the store through a {@link StoreAdapter} opened from the target (the
 * project's store by default, or etcd); stores with a leader are also watched for leader changes
 * (see {@link Elections}).
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

  /** How often the leader of a store with one is asked for, by every node. */
  public static final Duration LEADER_POLL_INTERVAL = Duration.ofMillis(100);

  private Lab() {}

  /**
   * What a run knows beyond its history: the store, whether it was stopped early, what the leader
   * watch saw.
   *
   * @param elections null for stores without a leader
   */
  public record RunFacts(
      String store, String storeDescription, boolean interrupted, Elections elections) {
    /** A complete run against the project's store. */
    public static RunFacts kvstore() {
      return new RunFacts("kvstore", "kvstore HTTP API (GET/PUT /kv/{key})", false, null);
    }
  }

  /** {@link #run(LabTarget, LabOptions, LabClock)} with the system clock. */
  public static LabResult run(LabTarget target, LabOptions options)
      throws IOException, InterruptedException {
    return run(target, options, LabClock.system());
  }

  /** {@link #run(LabTarget, LabOptions, LabClock, StopSignal)} to the end of the duration. */
  public static LabResult run(LabTarget target, LabOptions options, LabClock clock)
      throws IOException, InterruptedException {
    return run(target, options, clock, StopSignal.never());
  }

  /**
   * Runs the experiment on the calling thread (plus {@code clients} worker threads, a nemesis
   * thread and, for a store with a leader, a leader watch thread) and returns once the report is
   * written: about {@code duration} plus the final reads, or soon after {@code stop} is requested
   * (then without final reads, the report marked interrupted).
   *
   * @throws IOException when the report folder cannot be written
   * @throws IllegalArgumentException when a nemesis is asked for without a control plane or with
   *     fewer than two nodes, or {@code isolate-leader} for a store without a leader
   */
  public static LabResult run(LabTarget target, LabOptions options, LabClock clock, StopSignal stop)
      throws IOException, InterruptedException {
    NemesisKind kind = options.nemesisKind();
    if (kind != NemesisKind.NONE
        && (target.controlPlane() == null || target.storeUrls().size() < 2)) {
      throw new IllegalArgumentException(
          "nemesis %s needs a control plane and at least two nodes".formatted(options.nemesis()));
    }
    LabReport report;
    try (StoreAdapter store = target.store().open(target.storeUrls(), options.opTimeout())) {
      report = new LabRun(target, options, clock, stop, store).run();
    }
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
    return check(
        options, nodes, keys, startedAt, history, convergence, nemesisErrors, RunFacts.kvstore());
  }

  /** As above, with what the run knows beyond its history. */
  public static LabReport check(
      LabOptions options,
      List<String> nodes,
      List<String> keys,
      Instant startedAt,
      History history,
      Convergence convergence,
      List<String> nemesisErrors,
      RunFacts facts) {
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
        nemesisErrors,
        facts.store(),
        facts.storeDescription(),
        facts.interrupted(),
        facts.elections());
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
