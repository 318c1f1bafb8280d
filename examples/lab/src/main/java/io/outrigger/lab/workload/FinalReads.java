package io.outrigger.lab.workload;

import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.history.HistoryRecorder;
import io.outrigger.lab.nemesis.Sleeper;
import io.outrigger.lab.store.StoreAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After the heal: reads every key from every replica with the adapter's {@link
 * StoreAdapter#localRead} (the project's store: {@code GET /kv/{key}?local=true}), in rounds, until
 * all replicas agree or the bound passes; the convergence time is measured from the final heal
 * being in force. Blocks the calling thread.
 */
public final class FinalReads {
  private final StoreAdapter store;
  private final List<String> nodes;
  private final List<String> keys;
  private final HistoryRecorder recorder;

  public FinalReads(
      StoreAdapter store, List<String> nodes, List<String> keys, HistoryRecorder recorder) {
    this.store = store;
    this.nodes = nodes.stream().sorted().toList();
    this.keys = List.copyOf(keys);
    this.recorder = recorder;
  }

  /**
   * Reads rounds until agreement or until {@code boundNanos} after {@code healedAtNanos}; a zero
   * bound reads exactly one round.
   *
   * @param pauseNanos how long to wait between rounds
   */
  public Convergence await(long healedAtNanos, long boundNanos, long pauseNanos, Sleeper sleeper)
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
      nodes.forEach(node -> perNode.put(node, store.localRead(node, key)));
      out.put(key, perNode);
    }
    return out;
  }
}
