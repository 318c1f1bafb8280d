package io.outrigger.lab.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The WGL search against the definition itself: on thousands of small random histories (valid or
 * not), it agrees with a brute-force search over every order and every choice of indeterminate
 * writes.
 */
class BruteForceAgreementTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  @Test
  void agreesWithBruteForceOnSmallRandomHistories() {
    SplittableRandom random = new SplittableRandom(42);
    int invalid = 0;
    for (int i = 0; i < 3_000; i++) {
      List<Operation> history = randomHistory(random);
      boolean expected = bruteForce(LinearizabilityChecker.prepare(history));
      KeyVerdict verdict = checker.checkKey("k", history);
      assertThat(verdict.validity())
          .as("history %s", history.stream().map(Operation::describe).toList())
          .isEqualTo(expected ? Validity.VALID : Validity.INVALID);
      if (!expected) {
        invalid++;
        Witness w = ((KeyVerdict.NotLinearizable) verdict).witness();
        assertThat(bruteForce(LinearizabilityChecker.prepare(w.operations()))).isFalse();
      }
    }
    // The generator must produce both kinds, or the agreement proves little.
    assertThat(invalid).isBetween(300, 2_700);
  }

  private static List<Operation> randomHistory(SplittableRandom random) {
    int n = random.nextInt(1, 7);
    List<Operation> ops = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = random.nextLong(0, 20);
      long end = start + random.nextLong(0, 8);
      boolean write = random.nextBoolean();
      Outcome type =
          switch (random.nextInt(6)) {
            case 0 -> Outcome.INFO;
            case 1 -> Outcome.FAIL;
            default -> Outcome.OK;
          };
      String value;
      if (write) {
        value = "v" + i;
        written.add(value);
      } else {
        int pick = random.nextInt(written.size() + 2);
        value = pick < written.size() ? written.get(pick) : pick == written.size() ? null : "v9";
      }
      ops.add(
          new Operation(
              i,
              i,
              type,
              write ? Fn.WRITE : Fn.READ,
              "k",
              value,
              "n1",
              "n1",
              null,
              start,
              end,
              null));
    }
    return ops;
  }

  /** Tries every order of the operations; indeterminate writes may also be left out. */
  static boolean bruteForce(List<Operation> ops) {
    return search(ops, new boolean[ops.size()], null);
  }

  private static boolean search(List<Operation> ops, boolean[] used, String state) {
    boolean allRequiredDone = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!used[i] && ops.get(i).type() == Outcome.OK) {
        allRequiredDone = false;
      }
    }
    if (allRequiredDone) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (used[i] || !minimal(ops, used, i)) {
        continue;
      }
      Operation op = ops.get(i);
      if (op.isRead() && !Objects.equals(op.value(), state)) {
        continue;
      }
      used[i] = true;
      boolean ok = search(ops, used, op.isWrite() ? op.value() : state);
      used[i] = false;
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** No unused operation that completed (ok) before op {@code i} began is left. */
  private static boolean minimal(List<Operation> ops, boolean[] used, int i) {
    for (int j = 0; j < ops.size(); j++) {
      Operation other = ops.get(j);
      if (!used[j]
          && j != i
          && other.type() == Outcome.OK
          && other.endNanos() < ops.get(i).startNanos()) {
        return false;
      }
    }
    return true;
  }
}
