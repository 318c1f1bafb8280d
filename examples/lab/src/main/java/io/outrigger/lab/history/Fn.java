package io.outrigger.lab.history;

/** What an operation did to its key's register. */
public enum Fn {
  READ,
  WRITE;

  /** The lower-case name used in {@code history.jsonl} and the report. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
