package io.outrigger.lab.checker;

import java.util.List;
import java.util.Optional;

/** The verdicts of every key of a history; the history is linearizable iff every key's is. */
public record LinearizabilityResult(List<KeyVerdict> keys) {
  public LinearizabilityResult {
    keys = List.copyOf(keys);
  }

  /** Invalid if any key is, else unknown if any key is, else valid. */
  public Validity validity() {
    Validity v = Validity.VALID;
    for (KeyVerdict k : keys) {
      v = v.and(k.validity());
    }
    return v;
  }

  /** The witnesses of every non-linearizable key. */
  public List<Witness> witnesses() {
    return keys.stream()
        .filter(KeyVerdict.NotLinearizable.class::isInstance)
        .map(k -> ((KeyVerdict.NotLinearizable) k).witness())
        .toList();
  }

  /** The smallest witness, the one the report shows first. */
  public Optional<Witness> smallestWitness() {
    return witnesses().stream().min(java.util.Comparator.comparingInt(w -> w.operations().size()));
  }
}
