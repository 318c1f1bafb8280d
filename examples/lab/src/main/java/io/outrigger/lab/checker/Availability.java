package io.outrigger.lab.checker;

import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.History;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many client operations succeeded: overall, for operations invoked while a fault was in force,
 * and per fault window per side of the partition ({@code majority}/{@code minority}, see {@link
 * FaultWindow#sides}). "In force" runs from every node's ACK of the fault to its heal being
 * requested ({@link FaultWindow#inForce}): an operation invoked while the sidecars are still taking
 * up the change may see either configuration, and counting it would credit or blame the store for
 * the delivery of the fault. An operation counts as a success iff it is {@link Outcome#OK};
 * indeterminate ones count as not available. The final reads are not counted.
 *
 * @param overall every client operation
 * @param duringFaults operations invoked while any fault was in force
 * @param windows one entry per fault window, in time order
 */
public record Availability(Ratio overall, Ratio duringFaults, List<WindowAvailability> windows) {
  public Availability {
    windows = List.copyOf(windows);
  }

  /**
   * One fault window's figures.
   *
   * @param bySide per side label, the operations sent to nodes on that side; empty for faults
   *     without sides
   */
  public record WindowAvailability(FaultWindow window, Ratio all, Map<String, Ratio> bySide) {
    public WindowAvailability {
      bySide = Map.copyOf(bySide);
    }
  }

  /** Computes the figures of {@code history}. */
  public static Availability of(History history) {
    Ratio overall = new Ratio(0, 0);
    Ratio during = new Ratio(0, 0);
    List<Operation> ops = history.clientOperations();
    for (Operation op : ops) {
      boolean ok = op.type() == Outcome.OK;
      overall = overall.plus(ok);
      if (history.faults().stream().anyMatch(w -> w.inForce(op.startNanos()))) {
        during = during.plus(ok);
      }
    }
    List<WindowAvailability> windows = new ArrayList<>();
    for (FaultWindow w : history.faults()) {
      Ratio all = new Ratio(0, 0);
      Map<String, Ratio> bySide = new TreeMap<>();
      for (Operation op : ops) {
        if (!w.inForce(op.startNanos())) {
          continue;
        }
        boolean ok = op.type() == Outcome.OK;
        all = all.plus(ok);
        String side = w.sides().get(op.node());
        if (side != null) {
          bySide.merge(
              side,
              new Ratio(ok ? 1 : 0, 1),
              (a, b) -> new Ratio(a.ok() + b.ok(), a.attempted() + b.attempted()));
        }
      }
      windows.add(new WindowAvailability(w, all, bySide));
    }
    return new Availability(overall, during, windows);
  }
}
