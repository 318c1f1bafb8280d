package io.outrigger.lab.checker;

import io.outrigger.lab.history.Operation;
import java.util.List;

/**
 * A minimal non-linearizable set of operations of one key: without any one of them (and without the
 * reads of a removed write's value) the rest is linearizable.
 *
 * @param key the register
 * @param operations the operations, by invocation time
 * @param explanation one or two sentences a person can check against the operations
 * @param minimal false when shrinking stopped at its own budget before reaching a 1-minimal set
 */
public record Witness(String key, List<Operation> operations, String explanation, boolean minimal) {
  public Witness {
    operations = List.copyOf(operations);
  }
}
