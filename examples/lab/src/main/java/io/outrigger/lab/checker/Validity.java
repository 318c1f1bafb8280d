package io.outrigger.lab.checker;

/** A checker's verdict: valid, invalid, or undecided (search budget exhausted). */
public enum Validity {
  VALID,
  INVALID,
  UNKNOWN;

  /** Combines two verdicts: any invalid wins, then any unknown. */
  public Validity and(Validity other) {
    if (this == INVALID || other == INVALID) {
      return INVALID;
    }
    if (this == UNKNOWN || other == UNKNOWN) {
      return UNKNOWN;
    }
    return VALID;
  }

  /** The JSON form: {@code true}, {@code false} or the string {@code "unknown"}. */
  public Object toJson() {
    return switch (this) {
      case VALID -> Boolean.TRUE;
      case INVALID -> Boolean.FALSE;
      case UNKNOWN -> "unknown";
    };
  }
}
