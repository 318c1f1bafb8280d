package io.outrigger.lab.checker;

import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that a history of reads and writes is linearizable, one key at a time: each key is an
 * independent register whose initial value is null (missing), and a history is linearizable iff
 * each key's is (P-compositionality).
 *
 * <p>Per key, before the search:
 *
 * <ul>
 *   <li>failed operations are dropped: they had no effect;
 *   <li>indeterminate reads are dropped: reads have no effect and return nothing to check;
 *   <li>indeterminate writes are kept with an open end (they may take effect at any time after
 *       their invocation, or never) but only if some successful read returned their value: a write
 *       nobody observed can always be left out of a linearization, so keeping it only costs search
 *       time.
 * </ul>
 *
 * <p>The search ({@link WglSearch}) is bounded by a step budget per key; past it the key's verdict
 * is {@link KeyVerdict.Unknown} rather than a guess. A violation is shrunk to a minimal witness
 * ({@link WitnessShrinker}) and explained ({@link Explainer}).
 *
 * <p>Values must be unique per key (the workload writes {@code c3-17}-style values), which is what
 * lets the checker tie a read to the write it observed.
 *
 * <p>Stateless apart from its budgets; safe to share between threads.
 */
public final class LinearizabilityChecker {
  /** Default search budget per key: enough for minutes of five clients on a few keys. */
  public static final long DEFAULT_STEP_BUDGET = 5_000_000;

  private final long stepBudget;

  /** A checker with {@link #DEFAULT_STEP_BUDGET}. */
  public LinearizabilityChecker() {
    this(DEFAULT_STEP_BUDGET);
  }

  /** A checker that gives up on a key after {@code stepBudget} search steps. */
  public LinearizabilityChecker(long stepBudget) {
    if (stepBudget < 1) {
      throw new IllegalArgumentException("stepBudget: %s (expected: >= 1)".formatted(stepBudget));
    }
    this.stepBudget = stepBudget;
  }

  /** Checks every key of {@code operations}; verdicts in key order of first appearance. */
  public LinearizabilityResult check(List<Operation> operations) {
    Map<String, List<Operation>> byKey =
        operations.stream()
            .collect(
                Collectors.groupingBy(Operation::key, LinkedHashMap::new, Collectors.toList()));
    List<KeyVerdict> verdicts = new ArrayList<>();
    byKey.forEach((key, ops) -> verdicts.add(checkKey(key, ops)));
    return new LinearizabilityResult(verdicts);
  }

  /** Checks the operations of one key (operations of other keys must not be passed). */
  public KeyVerdict checkKey(String key, List<Operation> operations) {
    List<Operation> ops = prepare(operations);
    WglSearch.Search search = new WglSearch(ops, stepBudget).run();
    return switch (search.result()) {
      case LINEARIZABLE -> new KeyVerdict.Linearizable(key, ops.size(), search.steps());
      case UNKNOWN -> new KeyVerdict.Unknown(key, ops.size(), search.steps());
      case VIOLATION -> {
        WitnessShrinker.Shrunk shrunk = new WitnessShrinker(this::violates).shrink(ops);
        String why = Explainer.explain(key, shrunk.operations(), operations);
        yield new KeyVerdict.NotLinearizable(
            key, new Witness(key, shrunk.operations(), why, shrunk.minimal()));
      }
    };
  }

  /** True when the search proves {@code ops} (already prepared) not linearizable. */
  boolean violates(List<Operation> ops) {
    return new WglSearch(ops, stepBudget).run().result() == WglSearch.Result.VIOLATION;
  }

  /** The operations the search needs, per the rules in the class comment. */
  static List<Operation> prepare(List<Operation> operations) {
    Set<String> observed =
        operations.stream()
            .filter(op -> op.isRead() && op.type() == Outcome.OK && op.value() != null)
            .map(Operation::value)
            .collect(Collectors.toSet());
    return operations.stream()
        .filter(
            op ->
                switch (op.type()) {
                  case OK -> true;
                  case FAIL -> false;
                  case INFO -> op.isWrite() && observed.contains(op.value());
                })
        .toList();
  }
}
