package io.outrigger.lab.workload;

import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.history.HistoryRecorder;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After the heal: reads every key from every replica with {@code GET /kv/{key}?local=true}, in
 * rounds, until all replicas agree or the bound passes; the convergence time is measured from the
 * final heal being in force. Blocks the calling thread.
 */
public final class FinalReads {
  private final StoreClient store;
  private final Map<String, URI> nodes;
  private final List<String> keys;
  private final HistoryRecorder recorder;

  public FinalReads(
      StoreClient store, Map<String, URI> nodes, List<String> keys, HistoryRecorder recorder) {
    this.store = store;
    this.nodes = new TreeMap<>(nodes);
    this.keys = List.copyOf(keys);
    this.recorder = recorder;
  }

  /**
   * Reads rounds until agreement or until {@code boundNanos} after {@code healedAtNanos}; a zero
   * bound reads exactly one round.
   *
   * @param pauseNanos how long to wait between rounds
   */
  public Convergence await(
      long healedAtNanos,
      long boundNanos,
      long pauseNanos,
      io.outrigger.lab.nemesis.Sleeper sleeper)
      throws InterruptedException {
    while (true) {
      Map<String, Map<String, Convergence.LocalValue>> round = round();
      List<String> divergent = Convergence.divergentKeys(round);
      long elapsed = recorder.now() - healedAtNanos;
      if (divergent.isEmpty()) {
        return new Convergence(true, Math.max(0, elapsed) / 1_000_000, round, divergent);
      }
      if (elapsed >= boundNanos) {
        return new Convergence(false, -1, round, divergent);
      }
      sleeper.sleepNanos(pauseNanos);
    }
  }

  /** One local read of every key on every replica. */
  public Map<String, Map<String, Convergence.LocalValue>> round() {
    Map<String, Map<String, Convergence.LocalValue>> out = new LinkedHashMap<>();
    for (String key : keys) {
      Map<String, Convergence.LocalValue> perNode = new TreeMap<>();
      nodes.forEach((node, url) -> perNode.put(node, localValue(store.read(url, key, true))));
      out.put(key, perNode);
    }
    return out;
  }

  private static Convergence.LocalValue localValue(StoreReply reply) {
    if (reply instanceof StoreReply.Failure f) {
      return new Convergence.LocalValue(null, null, f.error());
    }
    StoreReply.Answer a = (StoreReply.Answer) reply;
    boolean answered = a.status() == 200 || (a.status() == 404 && a.hasKey());
    if (!answered) {
      return new Convergence.LocalValue(null, null, a.status() + " " + a.error());
    }
    return new Convergence.LocalValue(
        a.value(), a.version() == null ? null : a.version().toString(), null);
  }
}
