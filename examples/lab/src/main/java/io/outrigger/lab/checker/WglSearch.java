package io.outrigger.lab.checker;

import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Wing–Gong linearizability search with Lowe's memoization (WGL), for one register whose
 * initial value is null.
 *
 * <p>The history is a doubly-linked list of call and return entries in time order. The search walks
 * it from the head: at a call entry it tries to linearize that operation now (legal if it is a
 * write, or a read of the current value); if the pair (set of linearized operations, register
 * value) is new, it lifts the operation's two entries out of the list and restarts from the head.
 * Meeting a return entry means that operation should have been linearized already: it backtracks.
 * Lowe's cache of (linearized set, value) pairs prunes every configuration reached twice.
 *
 * <p>Indeterminate writes ({@link Outcome#INFO}) have no return entry (they may take effect at any
 * time after their invocation) and are optional: the search succeeds once every {@link Outcome#OK}
 * operation is linearized.
 *
 * <p>Not thread-safe; one instance per search. Operations must already be filtered (see {@link
 * LinearizabilityChecker#prepare}).
 */
final class WglSearch {
  enum Result {
    LINEARIZABLE,
    VIOLATION,
    UNKNOWN
  }

  record Search(Result result, long steps) {}

  private static final class Entry {
    final int op;
    final boolean call;
    Entry match;
    Entry prev;
    Entry next;

    Entry(int op, boolean call) {
      this.op = op;
      this.call = call;
    }
  }

  private record Frame(Entry call, String stateBefore) {}

  private final List<Operation> ops;
  private final long budget;

  /** {@code ops} sorted by invocation; indices into it identify operations. */
  WglSearch(List<Operation> ops, long budget) {
    this.ops = ops.stream().sorted(Comparator.comparingLong(Operation::startNanos)).toList();
    this.budget = budget;
  }

  Search run() {
    Entry head = buildList();
    int required = (int) ops.stream().filter(op -> op.type() == Outcome.OK).count();
    BitSet linearized = new BitSet(ops.size());
    Set<CacheKey> cache = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    String state = null;
    int done = 0;
    long steps = 0;
    Entry entry = head.next;
    while (done < required) {
      if (++steps > budget) {
        return new Search(Result.UNKNOWN, steps);
      }
      if (entry != null && entry.call) {
        Operation op = ops.get(entry.op);
        if (op.isWrite() || Objects.equals(state, op.value())) {
          String next = op.isWrite() ? op.value() : state;
          linearized.set(entry.op);
          if (cache.add(CacheKey.of(linearized, next))) {
            stack.push(new Frame(entry, state));
            state = next;
            done += op.type() == Outcome.OK ? 1 : 0;
            lift(entry);
            entry = head.next;
            continue;
          }
          linearized.clear(entry.op);
        }
        entry = entry.next;
      } else {
        // A return entry (or the end of the list): something before it must be undone.
        if (stack.isEmpty()) {
          return new Search(Result.VIOLATION, steps);
        }
        Frame top = stack.pop();
        state = top.stateBefore();
        linearized.clear(top.call().op);
        done -= ops.get(top.call().op).type() == Outcome.OK ? 1 : 0;
        unlift(top.call());
        entry = top.call().next;
      }
    }
    return new Search(Result.LINEARIZABLE, steps);
  }

  private Entry buildList() {
    record Event(long time, boolean call, Entry entry) {}
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      Entry call = new Entry(i, true);
      events.add(new Event(op.startNanos(), true, call));
      if (op.type() == Outcome.OK) {
        Entry ret = new Entry(i, false);
        call.match = ret;
        events.add(new Event(op.endNanos(), false, ret));
      }
    }
    // At equal times calls go first: touching operations count as concurrent, the lenient reading.
    events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> e.call() ? 0 : 1));
    Entry head = new Entry(-1, false);
    Entry last = head;
    for (Event e : events) {
      last.next = e.entry();
      e.entry().prev = last;
      last = e.entry();
    }
    return head;
  }

  private static void lift(Entry call) {
    unlink(call);
    if (call.match != null) {
      unlink(call.match);
    }
  }

  private static void unlink(Entry e) {
    e.prev.next = e.next;
    if (e.next != null) {
      e.next.prev = e.prev;
    }
  }

  private static void unlift(Entry call) {
    if (call.match != null) {
      relink(call.match);
    }
    relink(call);
  }

  private static void relink(Entry e) {
    e.prev.next = e;
    if (e.next != null) {
      e.next.prev = e;
    }
  }

  /**
   * A cache entry: the register value and the linearized set. Operations are indexed by invocation
   * and get linearized roughly in that order, so the set is stored as the index of its first hole
   * plus the bits from there on, which keeps entries small on long histories.
   */
  private static final class CacheKey {
    private final int base;
    private final long[] words;
    private final String state;
    private final int hash;

    private CacheKey(int base, long[] words, String state) {
      this.base = base;
      this.words = words;
      this.state = state;
      this.hash = (31 * base + Arrays.hashCode(words)) * 31 + Objects.hashCode(state);
    }

    static CacheKey of(BitSet linearized, String state) {
      int base = linearized.nextClearBit(0);
      long[] words = linearized.get(base, Math.max(base, linearized.length())).toLongArray();
      return new CacheKey(base, words, state);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey k
          && k.hash == hash
          && k.base == base
          && Arrays.equals(k.words, words)
          && Objects.equals(k.state, state);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
