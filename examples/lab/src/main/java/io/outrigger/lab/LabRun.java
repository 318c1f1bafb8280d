package io.outrigger.lab;

import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.history.HistoryRecorder;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.leader.Elections;
import io.outrigger.lab.leader.LeaderWatch;
import io.outrigger.lab.nemesis.ControlPlaneClient;
import io.outrigger.lab.nemesis.LeaderLookup;
import io.outrigger.lab.nemesis.Nemesis;
import io.outrigger.lab.nemesis.NemesisKind;
import io.outrigger.lab.report.LabReport;
import io.outrigger.lab.store.Leadership;
import io.outrigger.lab.store.StoreAdapter;
import io.outrigger.lab.workload.FinalReads;
import io.outrigger.lab.workload.Workload;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One experiment from start to report, with an open store adapter; see {@link Lab}. */
final class LabRun {
  private static final Logger log = LoggerFactory.getLogger(LabRun.class);
  private static final long CONVERGENCE_POLL_NANOS = 100_000_000;

  private final LabTarget target;
  private final LabOptions options;
  private final LabClock clock;
  private final StopSignal stop;
  private final StoreAdapter store;
  private final List<String> nodes;
  private final Instant startedAt;
  private final List<String> keys;
  private final HistoryRecorder recorder;

  LabRun(
      LabTarget target, LabOptions options, LabClock clock, StopSignal stop, StoreAdapter store) {
    this.target = target;
    this.options = options;
    this.clock = clock;
    this.stop = stop;
    this.store = store;
    this.nodes = target.storeUrls().keySet().stream().sorted().toList();
    this.startedAt = clock.now();
    String runId = Long.toString(startedAt.toEpochMilli(), 36);
    this.keys =
        IntStream.range(0, options.keys()).mapToObj(i -> "lab-" + runId + "-k" + i).toList();
    this.recorder = new HistoryRecorder(clock::nanoTime);
  }

  /** Clients and nemesis, then the final reads and the checks. Blocks for about the duration. */
  LabReport run() throws InterruptedException {
    Optional<Leadership> leadership = store.leadership();
    Nemesis nemesis = nemesis(leadership);
    log.info(
        "lab: {} {} / {} on {} for {}",
        store.name(),
        options.mode(),
        options.nemesis(),
        nodes,
        options.duration());
    LeaderWatch watch =
        leadership
            .map(l -> new LeaderWatch(l, recorder, clock, Lab.LEADER_POLL_INTERVAL.toNanos()))
            .orElse(null);
    Workload workload = new Workload(store, nodes, keys, recorder, options.seed(), clock, stop);
    try {
      clientsAndNemesis(workload, nemesis);
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
    long healedAt = nemesis.healedAtNanos() < 0 ? recorder.now() : nemesis.healedAtNanos();
    boolean interrupted = stop.requested();
    Convergence convergence =
        interrupted
            ? new Convergence(false, -1, Map.of(), List.of())
            : finalReads(workload, healedAt);
    Elections elections =
        watch == null
            ? null
            : Elections.of(
                watch.observations(),
                recorder.history().faults(),
                nodes,
                Lab.LEADER_POLL_INTERVAL.toMillis());
    return Lab.check(
        options,
        nodes,
        keys,
        startedAt,
        recorder.history(),
        convergence,
        nemesis.errors(),
        new Lab.RunFacts(store.name(), store.describe(), interrupted, elections));
  }

  private Nemesis nemesis(Optional<Leadership> leadership) {
    NemesisKind kind = options.nemesisKind();
    if (kind == NemesisKind.ISOLATE_LEADER && leadership.isEmpty()) {
      throw new IllegalArgumentException(
          "nemesis isolate-leader needs a store with a leader (etcd), not " + store.name());
    }
    LeaderLookup lookup =
        leadership
            .<LeaderLookup>map(l -> () -> Leadership.agreed(l.views(), nodes))
            .orElse(LeaderLookup.none());
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Lab.APPLY_TIMEOUT)
            .build();
    return new Nemesis(
        target.controlPlane() == null
            ? null
            : new ControlPlaneClient(
                http, target.controlPlane(), target.controlPlaneToken(), Lab.APPLY_TIMEOUT),
        kind,
        nodes,
        new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L),
        recorder,
        clock,
        options.interval(),
        Lab.APPLY_TIMEOUT,
        stop,
        lookup);
  }

  private void clientsAndNemesis(Workload workload, Nemesis nemesis) throws InterruptedException {
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
  }

  /**
   * cp modes: every key read once from every node through the normal path, joining the history;
   * then local reads until the replicas agree (ap: up to the bound; cp: one round).
   */
  private Convergence finalReads(Workload workload, long healedAt) throws InterruptedException {
    if (options.linearizabilityMode()) {
      for (String key : keys) {
        for (String node : nodes) {
          recorder.record(workload.read(Operation.FINAL_PROCESS, node, key));
        }
      }
    }
    long bound = options.linearizabilityMode() ? 0 : Lab.CONVERGENCE_BOUND.toNanos();
    return new FinalReads(store, nodes, keys, recorder)
        .await(healedAt, bound, CONVERGENCE_POLL_NANOS, clock);
  }
}
