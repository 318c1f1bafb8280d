package io.outrigger.lab.store.etcd;

import java.util.Locale;

/**
 * How the etcd adapter reads ({@code --etcd-reads}): etcd's two read guarantees.
 *
 * <ul>
 *   <li>{@code linearizable} (etcd's default): the member confirms with a quorum that it has every
 *       committed write before it answers; a member cut off from the majority cannot answer.
 *   <li>{@code serializable}: the member answers from its own state at once ({@code "serializable":
 *       true} in the range request); fast, available on a minority, and possibly stale.
 * </ul>
 */
public enum EtcdReads {
  LINEARIZABLE,
  SERIALIZABLE;

  /** The command-line name. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a command-line name. */
  public static EtcdReads parse(String name) {
    for (EtcdReads r : values()) {
      if (r.wireName().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "etcd reads: %s (expected: linearizable or serializable)".formatted(name));
  }
}
