package io.outrigger.lab.history;

import java.util.concurrent.atomic.AtomicInteger;

/** Hand-made operations for checker tests; times are in milliseconds for readability. */
public final class Ops {
  private final AtomicInteger ids = new AtomicInteger();
  private final String key;

  public Ops(String key) {
    this.key = key;
  }

  public Operation write(int process, String value, long startMs, long endMs) {
    return op(process, Outcome.OK, Fn.WRITE, value, startMs, endMs);
  }

  public Operation read(int process, String value, long startMs, long endMs) {
    return op(process, Outcome.OK, Fn.READ, value, startMs, endMs);
  }

  public Operation infoWrite(int process, String value, long startMs, long endMs) {
    return op(process, Outcome.INFO, Fn.WRITE, value, startMs, endMs);
  }

  public Operation failedWrite(int process, String value, long startMs, long endMs) {
    return op(process, Outcome.FAIL, Fn.WRITE, value, startMs, endMs);
  }

  public Operation failedRead(int process, long startMs, long endMs) {
    return op(process, Outcome.FAIL, Fn.READ, null, startMs, endMs);
  }

  public Operation op(int process, Outcome type, Fn f, String value, long startMs, long endMs) {
    return new Operation(
        ids.getAndIncrement(),
        process,
        type,
        f,
        key,
        value,
        "n" + (process % 3 + 1),
        "n" + (process % 3 + 1),
        null,
        startMs * 1_000_000,
        endMs * 1_000_000,
        type == Outcome.OK ? null : "test");
  }
}
