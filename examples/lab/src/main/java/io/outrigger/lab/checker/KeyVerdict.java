package io.outrigger.lab.checker;

import static java.util.Objects.requireNonNull;

/** The linearizability verdict for the history of one key (one register). */
public sealed interface KeyVerdict {
  /** The key whose history was checked. */
  String key();

  /** The verdict as a {@link Validity}. */
  Validity validity();

  /**
   * Some total order of the key's operations respects their real-time order and the register's
   * semantics.
   *
   * @param operations how many operations took part in the search (failed operations and
   *     indeterminate writes nobody read are left out)
   * @param steps search steps used
   */
  record Linearizable(String key, int operations, long steps) implements KeyVerdict {
    @Override
    public Validity validity() {
      return Validity.VALID;
    }
  }

  /** No such order exists; {@code witness} is a minimal set of operations that shows it. */
  record NotLinearizable(String key, Witness witness) implements KeyVerdict {
    public NotLinearizable {
      requireNonNull(witness, "witness");
    }

    @Override
    public Validity validity() {
      return Validity.INVALID;
    }
  }

  /** The search ran out of its step budget before deciding. */
  record Unknown(String key, int operations, long steps) implements KeyVerdict {
    @Override
    public Validity validity() {
      return Validity.UNKNOWN;
    }
  }
}
