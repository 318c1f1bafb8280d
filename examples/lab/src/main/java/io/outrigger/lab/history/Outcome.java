package io.outrigger.lab.history;

/**
 * How an operation ended, in Jepsen's words.
 *
 * <ul>
 *   <li>{@link #OK}: it took effect (a write) or returned a value (a read).
 *   <li>{@link #FAIL}: it certainly had no effect (the store said {@code not-applied}, or it was a
 *       read, which never has an effect).
 *   <li>{@link #INFO}: indeterminate: a write that timed out, lost its connection or was answered
 *       {@code 503 unknown}. It may have taken effect at any time after its invocation, or never.
 * </ul>
 */
public enum Outcome {
  OK,
  FAIL,
  INFO;

  /** The lower-case name used in {@code history.jsonl} and the report. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
