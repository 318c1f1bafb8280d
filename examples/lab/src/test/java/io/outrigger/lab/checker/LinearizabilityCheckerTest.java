package io.outrigger.lab.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Ops;
import io.outrigger.lab.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();
  private final Ops k = new Ops("k");

  private KeyVerdict check(Operation... ops) {
    return checker.checkKey("k", List.of(ops));
  }

  private static Witness witness(KeyVerdict verdict) {
    assertThat(verdict).isInstanceOf(KeyVerdict.NotLinearizable.class);
    return ((KeyVerdict.NotLinearizable) verdict).witness();
  }

  @Test
  void sequentialWriteThenReadIsLinearizable() {
    assertThat(check(k.read(0, null, 0, 1), k.write(0, "a", 2, 3), k.read(1, "a", 4, 5)))
        .isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertThat(check()).isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void staleReadIsCaughtWithTheThreeOperationsThatShowIt() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.write(1, "b", 2, 3);
    Operation ra = k.read(2, "a", 4, 5);
    Witness w = witness(check(k.read(0, null, -5, -4), wa, k.read(1, "a", 1, 2), wb, ra));
    assertThat(w.operations()).containsExactly(wa, wb, ra);
    assertThat(w.minimal()).isTrue();
    assertThat(w.explanation()).contains("stale").contains("\"b\"").contains("client c2");
  }

  @Test
  void lostWriteIsCaught() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation rNil = k.read(1, null, 2, 3);
    Witness w = witness(check(wa, rNil));
    assertThat(w.operations()).containsExactly(wa, rNil);
    assertThat(w.explanation()).contains("returned nothing");
  }

  @Test
  void readOfANeverWrittenValueIsCaughtAlone() {
    Operation ghost = k.read(1, "ghost", 2, 3);
    Witness w = witness(check(k.write(0, "a", 0, 1), ghost, k.read(2, "a", 4, 5)));
    assertThat(w.operations()).containsExactly(ghost);
    assertThat(w.explanation()).contains("\"ghost\"").contains("no write of that value");
  }

  @Test
  void readConcurrentWithAWriteMaySeeEitherValue() {
    Operation wa = k.write(0, "a", 0, 1);
    assertThat(check(wa, k.write(1, "b", 2, 10), k.read(2, "a", 3, 4)))
        .isInstanceOf(KeyVerdict.Linearizable.class);
    assertThat(check(wa, k.write(1, "b", 2, 10), k.read(2, "b", 3, 4)))
        .isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void concurrentWritesMayTakeEffectInEitherOrder() {
    Operation wa = k.write(0, "a", 0, 10);
    Operation wb = k.write(1, "b", 1, 11);
    assertThat(check(wa, wb, k.read(2, "a", 12, 13))).isInstanceOf(KeyVerdict.Linearizable.class);
    assertThat(check(wa, wb, k.read(2, "b", 12, 13))).isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void butOnceOrderedTheyStaySo() {
    Operation wa = k.write(0, "a", 0, 10);
    Operation wb = k.write(1, "b", 1, 11);
    Operation r1 = k.read(2, "a", 12, 13);
    Operation r2 = k.read(0, "b", 14, 15);
    Witness w = witness(check(wa, wb, r1, r2));
    assertThat(w.operations()).containsExactlyInAnyOrder(wa, wb, r1, r2);
    assertThat(w.explanation())
        .contains("had both completed by 0.011 s")
        .contains("holds one of them");
  }

  @Test
  void readsGoingBackInTimeAreCaught() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.write(1, "b", 2, 20);
    Operation rb = k.read(2, "b", 3, 4);
    Operation ra = k.read(0, "a", 5, 6);
    Witness w = witness(check(wa, wb, rb, ra));
    assertThat(w.operations()).containsExactly(wa, wb, rb, ra);
    assertThat(w.explanation()).contains("older");
  }

  @Test
  void indeterminateWriteSeenLaterIsLinearizable() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.infoWrite(1, "b", 2, 3);
    assertThat(check(wa, wb, k.read(2, "b", 10, 11))).isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void indeterminateWriteMayTakeEffectAfterTheClientGaveUp() {
    Operation wb = k.infoWrite(1, "b", 2, 3);
    assertThat(check(wb, k.read(2, null, 5, 6), k.read(0, "b", 7, 8)))
        .isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void indeterminateWriteNeverSeenIsLinearizable() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.infoWrite(1, "b", 2, 3);
    assertThat(check(wa, wb, k.read(2, "a", 10, 11), k.read(2, "a", 12, 13)))
        .isInstanceOf(KeyVerdict.Linearizable.class);
  }

  @Test
  void indeterminateWriteCannotBeUndoneOnceSeen() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.infoWrite(1, "b", 2, 3);
    Operation rb = k.read(2, "b", 10, 11);
    Operation ra = k.read(2, "a", 12, 13);
    Witness w = witness(check(wa, wb, rb, ra));
    assertThat(w.operations()).containsExactly(wa, wb, rb, ra);
  }

  @Test
  void indeterminateWriteCannotTakeEffectBeforeItsInvocation() {
    Operation rb = k.read(2, "b", 0, 1);
    Operation wb = k.infoWrite(1, "b", 2, 3);
    Witness w = witness(check(rb, wb));
    assertThat(w.operations()).containsExactly(rb, wb);
    assertThat(w.explanation()).startsWith("No order of these 2 operations on k respects");
  }

  @Test
  void failedWritesHaveNoEffect() {
    Operation wc = k.failedWrite(0, "c", 0, 1);
    Operation rc = k.read(1, "c", 2, 3);
    assertThat(check(wc, k.read(1, null, 2, 3), k.failedRead(2, 0, 5)))
        .isInstanceOf(KeyVerdict.Linearizable.class);
    assertThat(witness(check(wc, rc)).operations()).containsExactly(rc);
  }

  @Test
  void eachKeyIsCheckedOnItsOwn() {
    Ops other = new Ops("other");
    List<Operation> history =
        List.of(
            k.write(0, "a", 0, 1),
            k.read(1, "a", 2, 3),
            other.write(0, "x", 0, 1),
            other.read(1, null, 2, 3));
    LinearizabilityResult result = checker.check(history);
    assertThat(result.validity()).isEqualTo(Validity.INVALID);
    assertThat(result.keys())
        .extracting(KeyVerdict::validity)
        .containsExactly(Validity.VALID, Validity.INVALID);
    assertThat(result.smallestWitness()).get().extracting(Witness::key).isEqualTo("other");
  }

  @Test
  void exhaustedBudgetSaysUnknownInsteadOfGuessing() {
    List<Operation> history = randomRegisterHistory(new SplittableRandom(7), 8, 400);
    KeyVerdict verdict = new LinearizabilityChecker(50).checkKey("k", history);
    assertThat(verdict).isInstanceOf(KeyVerdict.Unknown.class);
    assertThat(new LinearizabilityChecker(50).check(history).validity())
        .isEqualTo(Validity.UNKNOWN);
  }

  @Test
  void longConcurrentHistoriesOfAnAtomicRegisterAreLinearizable() {
    for (int seed = 0; seed < 20; seed++) {
      List<Operation> history = randomRegisterHistory(new SplittableRandom(seed), 5, 2_000);
      assertThat(checker.checkKey("k", history))
          .as("seed %s", seed)
          .isInstanceOf(KeyVerdict.Linearizable.class);
    }
  }

  @Test
  void oneStaleReadInALongHistoryShrinksToAMinimalWitness() {
    for (int seed = 0; seed < 10; seed++) {
      List<Operation> history =
          new ArrayList<>(randomRegisterHistory(new SplittableRandom(seed), 5, 1_000));
      Operation stale = plantStaleRead(history, new SplittableRandom(seed));
      KeyVerdict verdict = checker.checkKey("k", history);
      Witness w = witness(verdict);
      assertThat(w.operations()).as("seed %s", seed).contains(stale).hasSizeLessThanOrEqualTo(4);
      assertThat(w.minimal()).isTrue();
      for (Operation op : w.operations()) {
        List<Operation> smaller = WitnessShrinker.without(w.operations(), List.of(op));
        assertThat(checker.checkKey("k", smaller))
            .as("seed %s without %s", seed, op.describe())
            .isInstanceOf(KeyVerdict.Linearizable.class);
      }
    }
  }

  /**
   * Five processes driving an atomic register: each operation takes effect at a random instant
   * inside its interval, reads return the value of the latest write before that instant, and about
   * one write in ten times out (indeterminate: it took effect anyway, or not at all).
   */
  static List<Operation> randomRegisterHistory(SplittableRandom random, int processes, int ops) {
    record Planned(Operation op, long point, boolean effective) {}
    List<Planned> planned = new ArrayList<>();
    long[] clock = new long[processes];
    for (int i = 0; i < ops; i++) {
      int p = random.nextInt(processes);
      long start = clock[p] + random.nextLong(1, 50);
      long point = start + random.nextLong(1, 100);
      long end = point + random.nextLong(1, 100);
      clock[p] = end;
      boolean write = random.nextBoolean();
      boolean info = write && random.nextInt(10) == 0;
      Operation op =
          new Operation(
              i,
              p,
              info ? Outcome.INFO : Outcome.OK,
              write ? Fn.WRITE : Fn.READ,
              "k",
              write ? "c" + p + "-" + i : null,
              "n1",
              "n1",
              null,
              start,
              end,
              info ? "timeout" : null);
      planned.add(new Planned(op, point, !info || random.nextBoolean()));
    }
    planned.sort(Comparator.comparingLong(Planned::point));
    String value = null;
    List<Operation> out = new ArrayList<>();
    for (Planned pl : planned) {
      Operation op = pl.op();
      if (op.isWrite()) {
        value = pl.effective() ? op.value() : value;
        out.add(op);
      } else {
        out.add(withValue(op, value));
      }
    }
    return out;
  }

  /** Adds a read, after everything else, of a value that was overwritten long before. */
  private static Operation plantStaleRead(List<Operation> history, SplittableRandom random) {
    List<Operation> okWrites =
        history.stream().filter(op -> op.isWrite() && op.type() == Outcome.OK).toList();
    Operation old = okWrites.get(random.nextInt(okWrites.size() / 2));
    long end = history.stream().mapToLong(Operation::endNanos).max().orElseThrow();
    Operation stale =
        new Operation(
            history.size(),
            9,
            Outcome.OK,
            Fn.READ,
            "k",
            old.value(),
            "n3",
            "n3",
            null,
            end + 10,
            end + 20,
            null);
    history.add(stale);
    return stale;
  }

  private static Operation withValue(Operation op, String value) {
    return new Operation(
        op.id(),
        op.process(),
        op.type(),
        op.f(),
        op.key(),
        value,
        op.node(),
        op.replica(),
        op.version(),
        op.startNanos(),
        op.endNanos(),
        op.error());
  }
}
