package io.outrigger.lab.checker;

import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts a witness into words. It recognises the usual shapes (a read of a value nobody wrote, a
 * stale read or lost write, a read going back in time) and otherwise says what linearizability
 * demands of the operations listed.
 */
final class Explainer {
  private Explainer() {}

  /**
   * @param witness the minimal non-linearizable operations of {@code key}
   * @param all every operation of {@code key} in the history, to tell "never written" apart
   */
  static String explain(String key, List<Operation> witness, List<Operation> all) {
    return neverWritten(key, witness, all)
        .or(() -> staleRead(key, witness))
        .or(() -> backInTime(key, witness))
        .or(() -> readsDisagree(key, witness))
        .orElseGet(() -> generic(key, witness));
  }

  private static Optional<String> neverWritten(
      String key, List<Operation> witness, List<Operation> all) {
    for (Operation r : witness) {
      if (okRead(r) && r.value() != null && writerOf(r.value(), all).isEmpty()) {
        return Optional.of(
            "A read of %s by %s at %s returned %s, but no write of that value to %s can have taken effect."
                .formatted(key, who(r), r.node(), quote(r.value()), key));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> staleRead(String key, List<Operation> witness) {
    for (Operation r : witness) {
      if (!okRead(r)) {
        continue;
      }
      Optional<Operation> source = writerOf(r.value(), witness);
      for (Operation w : witness) {
        boolean completedBeforeRead =
            w.isWrite()
                && w.type() == Outcome.OK
                && w.endNanos() < r.startNanos()
                && !Objects.equals(w.value(), r.value());
        boolean overwritesSource =
            source.map(s -> s.type() == Outcome.OK && s.endNanos() < w.startNanos()).orElse(true);
        if (completedBeforeRead && overwritesSource) {
          String seen = r.value() == null ? "nothing (the key missing)" : quote(r.value());
          return Optional.of(
              ("A read of %s by %s at %s returned %s, although the write of %s by %s had"
                      + " completed at %.3f s, before that read began at %.3f s%s: the read is"
                      + " stale, or the write was lost.")
                  .formatted(
                      key,
                      who(r),
                      r.node(),
                      seen,
                      quote(w.value()),
                      who(w),
                      seconds(w.endNanos()),
                      seconds(r.startNanos()),
                      source.isPresent()
                          ? ", and after " + quote(r.value()) + " was written"
                          : ""));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> backInTime(String key, List<Operation> witness) {
    for (Operation first : witness) {
      for (Operation later : witness) {
        if (!okRead(first) || !okRead(later) || first.endNanos() >= later.startNanos()) {
          continue;
        }
        Optional<Operation> newer = writerOf(first.value(), witness);
        Optional<Operation> older = writerOf(later.value(), witness);
        boolean olderFirst =
            newer.isPresent()
                && (later.value() == null
                    || older
                        .map(o -> o.type() == Outcome.OK && o.endNanos() < newer.get().startNanos())
                        .orElse(false));
        if (olderFirst) {
          return Optional.of(
              ("A read of %s by %s at %s returned %s and finished at %.3f s; a later read by %s"
                      + " at %s (from %.3f s) returned the older %s: once a read has returned a"
                      + " newer value, no later read may return an older one.")
                  .formatted(
                      key,
                      who(first),
                      first.node(),
                      quote(first.value()),
                      seconds(first.endNanos()),
                      who(later),
                      later.node(),
                      seconds(later.startNanos()),
                      later.value() == null ? "nothing" : quote(later.value())));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Two writes both completed, no other write, and then two reads returned one value each: a
   * register holds a single value once both writes are over.
   */
  private static Optional<String> readsDisagree(String key, List<Operation> witness) {
    List<Operation> writes = witness.stream().filter(Operation::isWrite).toList();
    if (writes.size() != 2 || writes.stream().anyMatch(w -> w.type() != Outcome.OK)) {
      return Optional.empty();
    }
    long bothDone = Math.max(writes.get(0).endNanos(), writes.get(1).endNanos());
    List<Operation> reads =
        witness.stream().filter(op -> okRead(op) && op.startNanos() > bothDone).toList();
    for (Operation a : reads) {
      for (Operation b : reads) {
        if (a.value() != null
            && b.value() != null
            && !a.value().equals(b.value())
            && a.startNanos() <= b.startNanos()) {
          return Optional.of(
              ("The writes of %s and %s to %s had both completed by %.3f s, yet afterwards a read"
                      + " by %s at %s returned %s and a read by %s at %s returned %s: once both"
                      + " writes are over, with no other write, a register holds one of them for"
                      + " every reader.")
                  .formatted(
                      quote(writes.get(0).value()),
                      quote(writes.get(1).value()),
                      key,
                      seconds(bothDone),
                      who(a),
                      a.node(),
                      quote(a.value()),
                      who(b),
                      b.node(),
                      quote(b.value())));
        }
      }
    }
    return Optional.empty();
  }

  private static String generic(String key, List<Operation> witness) {
    return ("No order of these %d operations on %s respects their real-time order while every"
            + " read returns the latest write before it: %s.")
        .formatted(
            witness.size(),
            key,
            witness.stream().map(Operation::describe).collect(Collectors.joining("; ")));
  }

  private static Optional<Operation> writerOf(String value, List<Operation> ops) {
    if (value == null) {
      return Optional.empty();
    }
    return ops.stream()
        .filter(op -> op.isWrite() && op.type() != Outcome.FAIL && value.equals(op.value()))
        .findFirst();
  }

  private static boolean okRead(Operation op) {
    return op.isRead() && op.type() == Outcome.OK;
  }

  private static String who(Operation op) {
    return op.process() == Operation.FINAL_PROCESS ? "the final reads" : "client c" + op.process();
  }

  private static String quote(String value) {
    return value == null ? "nothing" : '"' + value + '"';
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
