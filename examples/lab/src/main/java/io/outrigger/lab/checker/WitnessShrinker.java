package io.outrigger.lab.checker;

import io.outrigger.lab.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Shrinks a non-linearizable history of one key to a small set of operations that is still not
 * linearizable (delta debugging).
 *
 * <p>Removing operations could invent a violation that was not there: drop the write of "a" and a
 * read of "a" becomes a read of a never-written value. So every removal also removes the reads of
 * the removed writes' values; the sets tried are always closed under "a read brings the write it
 * observed". For closed subsets non-linearizability is monotone (a linearization of the whole,
 * restricted to a closed subset, is a linearization of the subset: every read still follows the
 * write it returns, and nothing in between was removed), which is also what makes the first step, a
 * binary search for the shortest violating prefix, sound.
 *
 * <p>The result is 1-minimal under that rule (no single operation, with its dependent reads, can be
 * removed) unless the check budget runs out first.
 */
final class WitnessShrinker {
  /** At most this many linearizability checks per shrink; then the witness is just small. */
  static final int CHECK_BUDGET = 4_000;

  record Shrunk(List<Operation> operations, boolean minimal) {}

  private final Predicate<List<Operation>> violates;
  private int checks;

  WitnessShrinker(Predicate<List<Operation>> violates) {
    this.violates = violates;
  }

  /** {@code ops} must violate; returns a non-linearizable subset of it. */
  Shrunk shrink(List<Operation> ops) {
    List<Operation> sorted =
        ops.stream().sorted(Comparator.comparingLong(Operation::startNanos)).toList();
    List<Operation> current = shortestViolatingPrefix(sorted);
    int chunk = Math.max(1, current.size() / 2);
    while (true) {
      boolean removedAny = false;
      for (int i = 0; i < current.size() && checks < CHECK_BUDGET; ) {
        List<Operation> candidate =
            without(current, current.subList(i, Math.min(current.size(), i + chunk)));
        if (candidate.size() < current.size() && test(candidate)) {
          current = candidate;
          removedAny = true;
        } else {
          i += chunk;
        }
      }
      if (checks >= CHECK_BUDGET) {
        return new Shrunk(current, false);
      }
      if (chunk == 1 && !removedAny) {
        return new Shrunk(current, true);
      }
      chunk = Math.max(1, chunk / 2);
    }
  }

  private List<Operation> shortestViolatingPrefix(List<Operation> sorted) {
    int lo = 1;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (test(closedPrefix(sorted, mid))) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    List<Operation> prefix = closedPrefix(sorted, hi);
    // With an exhausted search budget monotonicity can appear to break; keep what surely violates.
    return test(prefix) ? prefix : sorted;
  }

  /** The first {@code n} operations plus the writes their reads observed. */
  static List<Operation> closedPrefix(List<Operation> sorted, int n) {
    Set<Operation> keep = new HashSet<>(sorted.subList(0, n));
    Set<String> read = new HashSet<>();
    for (Operation op : keep) {
      if (op.isRead() && op.value() != null) {
        read.add(op.value());
      }
    }
    for (Operation op : sorted) {
      if (op.isWrite() && read.contains(op.value())) {
        keep.add(op);
      }
    }
    return sorted.stream().filter(keep::contains).toList();
  }

  /** {@code current} without {@code removed} and without the reads of removed writes' values. */
  static List<Operation> without(List<Operation> current, List<Operation> removed) {
    Set<Operation> gone = new HashSet<>(removed);
    Set<String> goneValues = new HashSet<>();
    for (Operation op : removed) {
      if (op.isWrite()) {
        goneValues.add(op.value());
      }
    }
    List<Operation> out = new ArrayList<>();
    for (Operation op : current) {
      boolean orphan = op.isRead() && op.value() != null && goneValues.contains(op.value());
      if (!gone.contains(op) && !orphan) {
        out.add(op);
      }
    }
    return out;
  }

  private boolean test(List<Operation> candidate) {
    checks++;
    return !candidate.isEmpty() && violates.test(candidate);
  }
}
