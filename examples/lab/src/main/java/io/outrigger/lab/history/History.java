package io.outrigger.lab.history;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;

/**
 * Everything a run recorded: the client operations (sorted by invocation) and the fault windows.
 * Immutable; built by {@link HistoryRecorder} or by hand in tests.
 */
public record History(List<Operation> operations, List<FaultWindow> faults) {
  public History {
    operations =
        operations.stream().sorted(Comparator.comparingLong(Operation::startNanos)).toList();
    faults = List.copyOf(requireNonNull(faults, "faults"));
  }

  /** The operations without the final reads: what the availability figures count. */
  public List<Operation> clientOperations() {
    return operations.stream().filter(op -> op.process() != Operation.FINAL_PROCESS).toList();
  }

  /** The last completion time in the history, or 0 when it is empty. */
  public long endNanos() {
    long end = 0;
    for (Operation op : operations) {
      end = Math.max(end, op.endNanos());
    }
    for (FaultWindow w : faults) {
      end = Math.max(end, w.endNanos());
    }
    return end;
  }
}
