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

  @Test
  void countsOverallDuringFaultsAndPerSide() {
    // Ops's node is n(process % 3 + 1): process 0 -> n1, 1 -> n2, 2 -> n3.
    FaultWindow isolateN1 =
        new FaultWindow(
            10_000_000,
            20_000_000,
            "isolate n1",
            Map.of("n1", "minority", "n2", "majority", "n3", "majority"),
            40);
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
}
