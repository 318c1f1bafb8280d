package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * The tag a value carries: a logical (Lamport) time and the id of the replica that chose it. Tags
 * are totally ordered, time first, then replica id, so two replicas that pick the same time never
 * produce equal tags. The order is what ABD's "largest tag wins" and ap's last-writer-wins compare.
 *
 * @param time the logical time, 1 or more
 * @param replica the node name of the replica that chose the tag
 */
public record Version(long time, String replica) implements Comparable<Version> {
  private static final Comparator<Version> ORDER =
      Comparator.comparingLong(Version::time).thenComparing(Version::replica);

  public Version {
    requireNonNull(replica, "replica");
    if (time < 1) {
      throw new IllegalArgumentException("time: " + time + " (expected: 1 or more)");
    }
    if (replica.isEmpty()) {
      throw new IllegalArgumentException("replica: \"\" (expected: a node name)");
    }
  }

  /** Reads the {@code X-Outrigger-Version} form, {@code 7.n2}. */
  public static Version parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IllegalArgumentException("version: \"" + text + "\" (expected: TIME.REPLICA)");
    }
    try {
      return new Version(Long.parseLong(text.substring(0, dot)), text.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("version: \"" + text + "\" (expected: TIME.REPLICA)", e);
    }
  }

  /** True when this tag is strictly newer than {@code other}; everything is newer than null. */
  public boolean isNewerThan(Version other) {
    return other == null || compareTo(other) > 0;
  }

  @Override
  public int compareTo(Version o) {
    return ORDER.compare(this, o);
  }

  /** The {@code X-Outrigger-Version} form, {@code 7.n2}. */
  @Override
  public String toString() {
    return time + "." + replica;
  }
}
