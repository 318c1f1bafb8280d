package io.outrigger.kvstore;

/** What a client operation came to. */
sealed interface Outcome permits Outcome.Done, Outcome.NoQuorum {

  /**
   * The operation took effect (a write) or found its answer (a read).
   *
   * @param entry the key's entry: the value written or read, a tombstone, or null for a key never
   *     written
   */
  record Done(Versioned entry) implements Outcome {}

  /**
   * A quorum phase did not reach a majority before the deadline.
   *
   * @param applied whether the write may have been stored somewhere
   * @param acks how many replicas answered in the phase that failed, this one included
   * @param needed how many make a majority
   */
  record NoQuorum(Applied applied, int acks, int needed) implements Outcome {}

  /** Whether a failed write may nevertheless take effect. */
  enum Applied {
    /** Nothing was sent to any replica to store: the write did not and will not happen. */
    NOT_APPLIED("not-applied"),
    /** Some replica may hold the value, and it may surface later: the write is indeterminate. */
    UNKNOWN("unknown");

    private final String label;

    Applied(String label) {
      this.label = label;
    }

    /** The form of the {@code outcome} field and the {@code X-Outrigger-Outcome} header. */
    String label() {
      return label;
    }
  }
}
