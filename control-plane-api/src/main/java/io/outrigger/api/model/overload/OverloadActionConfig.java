package io.outrigger.api.model.overload;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One {@code actions} entry: the action and its triggers. The action's state is the largest of its
 * triggers' states.
 *
 * @param action which action
 * @param triggers at least one
 */
public record OverloadActionConfig(OverloadAction action, List<OverloadTrigger> triggers) {
  public OverloadActionConfig {
    requireNonNull(action, "action");
    triggers = List.copyOf(requireNonNull(triggers, "triggers"));
    if (triggers.isEmpty()) {
      throw new IllegalArgumentException("triggers: empty (expected: at least one)");
    }
  }

  /** The action's state for the monitors' current pressure: 0 (off) to 1 (saturated). */
  public double state(double heapPressure) {
    double state = 0;
    for (OverloadTrigger t : triggers) {
      state = Math.max(state, t.state(heapPressure));
    }
    return state;
  }
}
