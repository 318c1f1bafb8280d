package io.outrigger.kvstore;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a replica answers: the consistency/availability choice of the CAP theorem. */
public enum Mode {
  /**
   * Linearizable: ABD. Writes query a majority for the largest tag, then store a larger one on a
   * majority; reads query a majority and write the largest back before answering. The minority side
   * of a partition answers 503 "no quorum".
   */
  CP("cp"),
  /**
   * Writes as {@link #CP}, but reads answer from the local replica alone: stale reads, so not
   * linearizable. The lab uses it to show that its checker catches the difference.
   */
  CP_UNSAFE("cp-unsafe"),
  /**
   * Available: the local replica accepts every write with a fresh tag and replicates it in the
   * background (retrying with hints), reads are local, conflicts resolve by last writer wins on the
   * tag, and anti-entropy repairs what replication missed.
   */
  AP("ap");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  /** The name used on the command line and in {@code /healthz}. */
  public String label() {
    return label;
  }

  /** Reads {@code cp}, {@code cp-unsafe} or {@code ap}. */
  public static Mode parse(String text) {
    for (Mode m : values()) {
      if (m.label.equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "mode: \""
            + text
            + "\" (expected: "
            + Arrays.stream(values()).map(Mode::label).collect(Collectors.joining(", "))
            + ")");
  }

  /** True when writes go through ABD's two quorum phases. */
  public boolean quorumWrites() {
    return this != AP;
  }

  /** True when reads go through ABD's query and write-back phases. */
  public boolean quorumReads() {
    return this == CP;
  }
}
