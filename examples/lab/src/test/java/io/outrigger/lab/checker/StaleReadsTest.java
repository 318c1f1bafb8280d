package io.outrigger.lab.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Ops;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaleReadsTest {
  private final Ops k = new Ops("k");

  private static Operation versioned(Operation op, long time, String replica) {
    return new Operation(
        op.id(),
        op.process(),
        op.type(),
        op.f(),
        op.key(),
        op.value(),
        op.node(),
        op.replica(),
        new Version(time, replica),
        op.startNanos(),
        op.endNanos(),
        op.error());
  }

  @Test
  void readOfAnOverwrittenValueIsStaleByRealTime() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.write(1, "b", 2, 3);
    Operation ra = k.read(2, "a", 4, 5);
    StaleReads s = StaleReads.of(List.of(wa, wb, ra));
    assertThat(s.count()).isEqualTo(1);
    assertThat(s.reads()).isEqualTo(1);
    assertThat(s.examples())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.read()).isEqualTo(ra);
              assertThat(e.missedWrite()).isEqualTo(wb);
            });
  }

  @Test
  void readOfNothingAfterACompletedWriteIsStale() {
    assertThat(StaleReads.of(List.of(k.write(0, "a", 0, 1), k.read(1, null, 2, 3))).count())
        .isEqualTo(1);
  }

  @Test
  void readsConcurrentWithTheNewerWriteAreNotStale() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.write(1, "b", 2, 10);
    assertThat(StaleReads.of(List.of(wa, wb, k.read(2, "a", 4, 5))).count()).isZero();
  }

  @Test
  void indeterminateAndFailedWritesNeverMakeAReadStale() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation wb = k.infoWrite(1, "b", 2, 3);
    Operation wc = k.failedWrite(1, "c", 2, 3);
    assertThat(StaleReads.of(List.of(wa, wb, wc, k.read(2, "a", 4, 5))).count()).isZero();
  }

  @Test
  void withVersionsLastWriterWinsDecides() {
    // b completed first but lost to a's higher version: reading a afterwards is not stale.
    Operation wb = versioned(k.write(1, "b", 0, 1), 5, "n2");
    Operation wa = versioned(k.write(0, "a", 2, 3), 9, "n1");
    Operation ra = versioned(k.read(2, "a", 4, 5), 9, "n1");
    Operation rb = versioned(k.read(2, "b", 6, 7), 5, "n2");
    StaleReads s = StaleReads.of(List.of(wb, wa, ra, rb));
    assertThat(s.count()).isEqualTo(1);
    assertThat(s.examples().get(0).read()).isEqualTo(rb);
    assertThat(s.examples().get(0).missedWrite()).isEqualTo(wa);
  }

  @Test
  void concurrentWritesWithTheLowerVersionReadAfterAreStale() {
    // Both writes completed before the read; a has the higher version, so b is older under LWW.
    Operation wa = versioned(k.write(0, "a", 0, 5), 9, "n1");
    Operation wb = versioned(k.write(1, "b", 1, 4), 8, "n3");
    Operation rb = versioned(k.read(2, "b", 6, 7), 8, "n3");
    assertThat(StaleReads.of(List.of(wa, wb, rb)).count()).isEqualTo(1);
  }

  @Test
  void finalReadsAreNotCounted() {
    Operation wa = k.write(0, "a", 0, 1);
    Operation fin = k.op(Operation.FINAL_PROCESS, Outcome.OK, Fn.READ, null, 2, 3);
    assertThat(StaleReads.of(List.of(wa, fin)).reads()).isZero();
  }
}
