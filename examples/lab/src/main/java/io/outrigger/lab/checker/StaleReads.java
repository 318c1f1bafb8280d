package io.outrigger.lab.checker;

import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stale reads of an eventually consistent store.
 *
 * <p><b>Definition.</b> Let r be a successful read of key k, invoked at time s. Let W be the set of
 * successful (acknowledged) writes of k that completed before s. The read is <em>stale</em> iff it
 * returned something older than some write in W:
 *
 * <ul>
 *   <li>when the answers carry versions (the store's (logical time, replica) pairs, compared as its
 *       last-writer-wins compares them): r's version is absent (the key was missing) while W is not
 *       empty, or r's version is lower than the version of some write in W;
 *   <li>otherwise, by real time only: r returned nothing while W is not empty, or r returned the
 *       value of a write w0 and some write in W was invoked after w0 had completed.
 * </ul>
 *
 * Indeterminate and failed writes never make a read stale: they are not known to have completed.
 * Under last-writer-wins a concurrent write with a higher version may legitimately replace a
 * completed one, and a read returning it is not stale: only going backwards is.
 *
 * @param count how many reads were stale
 * @param reads how many successful client reads were examined
 * @param examples up to {@link #MAX_EXAMPLES} stale reads with the write they missed
 */
public record StaleReads(int count, int reads, List<Example> examples) {
  /** How many examples the report carries. */
  public static final int MAX_EXAMPLES = 20;

  public StaleReads {
    examples = List.copyOf(examples);
  }

  /** A stale read and a newer write that had completed before it began. */
  public record Example(Operation read, Operation missedWrite) {}

  /** Finds the stale reads among {@code operations} (all keys). */
  public static StaleReads of(List<Operation> operations) {
    Map<String, List<Operation>> byKey =
        operations.stream()
            .filter(op -> op.process() != Operation.FINAL_PROCESS && op.type() == Outcome.OK)
            .collect(
                Collectors.groupingBy(Operation::key, LinkedHashMap::new, Collectors.toList()));
    int count = 0;
    int reads = 0;
    List<Example> examples = new ArrayList<>();
    for (List<Operation> ops : byKey.values()) {
      KeyIndex index = new KeyIndex(ops);
      for (Operation r : ops) {
        if (!r.isRead()) {
          continue;
        }
        reads++;
        Operation missed = index.missedWrite(r);
        if (missed != null) {
          count++;
          if (examples.size() < MAX_EXAMPLES) {
            examples.add(new Example(r, missed));
          }
        }
      }
    }
    return new StaleReads(count, reads, examples);
  }

  /**
   * The acknowledged writes of one key sorted by completion, with prefix maxima (of version and of
   * invocation time) so that each read is judged with one binary search.
   */
  private static final class KeyIndex {
    private final long[] ends;
    private final Operation[] maxVersion;
    private final Operation[] maxStart;
    private final boolean versioned;
    private final Map<String, Operation> writerOf = new HashMap<>();

    KeyIndex(List<Operation> ops) {
      List<Operation> writes =
          ops.stream()
              .filter(Operation::isWrite)
              .sorted(Comparator.comparingLong(Operation::endNanos))
              .toList();
      writes.forEach(w -> writerOf.put(w.value(), w));
      ends = writes.stream().mapToLong(Operation::endNanos).toArray();
      maxVersion = new Operation[writes.size()];
      maxStart = new Operation[writes.size()];
      boolean allVersioned = true;
      for (int i = 0; i < writes.size(); i++) {
        Operation w = writes.get(i);
        allVersioned &= w.version() != null;
        maxStart[i] = i > 0 && maxStart[i - 1].startNanos() >= w.startNanos() ? maxStart[i - 1] : w;
        maxVersion[i] =
            i > 0 && newer(maxVersion[i - 1].version(), w.version()) ? maxVersion[i - 1] : w;
      }
      versioned = allVersioned;
    }

    /** A completed write the read should have seen, or null when the read is not stale. */
    Operation missedWrite(Operation r) {
      int i = Arrays.binarySearch(ends, r.startNanos() - 1);
      int last = i >= 0 ? lastWithEnd(i) : -i - 2; // index of the last write with end < r.start
      if (last < 0) {
        return null;
      }
      if (r.value() == null) {
        return maxStart[last];
      }
      boolean readVersioned = versioned && r.version() != null;
      if (readVersioned) {
        Operation top = maxVersion[last];
        return top.version().compareTo(r.version()) > 0 ? top : null;
      }
      Operation source = writerOf.get(r.value());
      Operation latest = maxStart[last];
      return source != null && latest.startNanos() > source.endNanos() ? latest : null;
    }

    private int lastWithEnd(int i) {
      while (i + 1 < ends.length && ends[i + 1] == ends[i]) {
        i++;
      }
      return i;
    }

    private static boolean newer(Version a, Version b) {
      if (a == null) {
        return false;
      }
      return b == null || a.compareTo(b) >= 0;
    }
  }
}
