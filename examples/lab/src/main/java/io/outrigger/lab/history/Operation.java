package io.outrigger.lab.history;

import static java.util.Objects.requireNonNull;

/**
 * One completed client operation of the history: its invocation and its completion in one record.
 *
 * @param id unique in the run (assigned at completion); ties the invoke and completion events of
 *     {@code history.jsonl}
 * @param process the client (lane) that ran it; {@link #FINAL_PROCESS} for the final reads
 * @param type how it ended
 * @param f read or write
 * @param key the register
 * @param value for a write the value written; for a read the value returned, null when the key was
 *     missing (never written, or deleted) or the read failed
 * @param node the node the client sent it to (its store URL through the sidecar)
 * @param replica the replica that answered, from the response; null without an answer
 * @param version the version the answer carried ({@code X-Outrigger-Version}); null if none
 * @param startNanos invocation, nanoseconds since the run's start
 * @param endNanos completion (answer, error or the client giving up), nanoseconds since the start;
 *     for {@link Outcome#INFO} this is when the client stopped waiting, not when the write ended
 * @param error the error text for fail and info, null for ok
 */
public record Operation(
    int id,
    int process,
    Outcome type,
    Fn f,
    String key,
    String value,
    String node,
    String replica,
    Version version,
    long startNanos,
    long endNanos,
    String error) {

  /** The process number of the final reads that follow the heal. */
  public static final int FINAL_PROCESS = -1;

  public Operation {
    requireNonNull(type, "type");
    requireNonNull(f, "f");
    requireNonNull(key, "key");
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(
          "endNanos: %s (expected: >= startNanos %s)".formatted(endNanos, startNanos));
    }
  }

  /** True for a read. */
  public boolean isRead() {
    return f == Fn.READ;
  }

  /** True for a write. */
  public boolean isWrite() {
    return f == Fn.WRITE;
  }

  /** A short human form: {@code c3 write k1 "c3-17" ok [n2, 1.204..1.207 s]}. */
  public String describe() {
    String who = process == FINAL_PROCESS ? "final" : "c" + process;
    String val = value == null ? "nil" : '"' + value + '"';
    String what =
        f == Fn.READ && type == Outcome.OK
            ? "read " + key + " -> " + val
            : f.wireName() + " " + key + " " + (f == Fn.WRITE ? val : "");
    return "%s %s %s [%s, %.3f..%.3f s]%s"
        .formatted(
            who,
            what.strip(),
            type.wireName(),
            node,
            startNanos / 1e9,
            endNanos / 1e9,
            error == null ? "" : " (" + error + ")");
  }
}
