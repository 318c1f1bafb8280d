package io.outrigger.lab.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.History;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Ops;
import io.outrigger.lab.history.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private final Ops k = new Ops("k");

  private static FaultWindow isolateN1From10To20Ms(long applyMillis, long healMillis) {
    return new FaultWindow(
        10_000_000,
        20_000_000,
        "isolate n1",
        Map.of("n1", "minority", "n2", "majority", "n3", "majority"),
        applyMillis,
        healMillis);
  }

  @Test
  void countsOverallDuringFaultsAndPerSide() {
    // Ops's node is n(process % 3 + 1): process 0 -> n1, 1 -> n2, 2 -> n3.
    FaultWindow isolateN1 = isolateN1From10To20Ms(0, 0);
    List<Operation> ops =
        List.of(
            k.write(0, "a", 0, 1),
            k.op(0, Outcome.FAIL, Fn.READ, null, 11, 12),
            k.op(0, Outcome.INFO, Fn.WRITE, "b", 12, 14),
            k.write(1, "c", 11, 12),
            k.read(2, "c", 13, 14),
            k.read(1, "c", 25, 26),
            k.op(Operation.FINAL_PROCESS, Outcome.FAIL, Fn.READ, null, 30, 31));
    Availability a = Availability.of(new History(ops, List.of(isolateN1)));

    assertThat(a.overall()).isEqualTo(new Ratio(4, 6));
    assertThat(a.duringFaults()).isEqualTo(new Ratio(2, 4));
    Availability.WindowAvailability w = a.windows().get(0);
    assertThat(w.bySide())
        .containsEntry("minority", new Ratio(0, 2))
        .containsEntry("majority", new Ratio(2, 2));
    assertThat(new Ratio(0, 0).value()).isEqualTo(1.0);
  }

  @Test
  void countsOnlyWhatWasInvokedFromEveryAckOfTheFaultToItsHealRequest() {
    // Requested at 10 ms, ACKed by every node at 13 ms; heal requested at 18 ms, ACKed at 20 ms.
    FaultWindow isolateN1 = isolateN1From10To20Ms(3, 2);
    List<Operation> ops =
        List.of(
            k.read(0, null, 11, 12), // n1 answered: the sidecars were still taking up the fault
            k.op(0, Outcome.FAIL, Fn.READ, null, 13, 14),
            k.op(0, Outcome.FAIL, Fn.WRITE, "a", 18, 19),
            k.read(0, null, 19, 20), // the heal had been requested
            k.write(1, "b", 12, 13),
            k.write(1, "c", 15, 16));
    Availability a = Availability.of(new History(ops, List.of(isolateN1)));

    assertThat(isolateN1.inForceFromNanos()).isEqualTo(13_000_000);
    assertThat(isolateN1.inForceUntilNanos()).isEqualTo(18_000_000);
    assertThat(a.duringFaults()).isEqualTo(new Ratio(1, 3));
    assertThat(a.windows().get(0).bySide())
        .containsEntry("minority", new Ratio(0, 2))
        .containsEntry("majority", new Ratio(1, 1));
  }

  @Test
  void countsFromTheRequestWhenTheAcksWereNotConfirmed() {
    FaultWindow unconfirmed =
        new FaultWindow(10_000_000, 20_000_000, "isolate n1", Map.of("n1", "minority"), -1, -1);

    assertThat(unconfirmed.inForceFromNanos()).isEqualTo(10_000_000);
    assertThat(unconfirmed.inForceUntilNanos()).isEqualTo(20_000_000);
    assertThat(new FaultWindow(10_000_000, 20_000_000, "slow", Map.of(), 30, 5).inForceUntilNanos())
        .as("an ACK later than the heal leaves an empty window, not a negative one")
        .isEqualTo(20_000_000);
  }
}
