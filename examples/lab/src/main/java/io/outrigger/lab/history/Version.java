package io.outrigger.lab.history;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * The version a store value carries: (logical time, replica id), ordered as the store's
 * last-writer-wins orders them, time first, replica id to break ties.
 */
public record Version(long time, String replica) implements Comparable<Version> {
  private static final Comparator<Version> ORDER =
      Comparator.comparingLong(Version::time).thenComparing(Version::replica);

  public Version {
    requireNonNull(replica, "replica");
  }

  /**
   * Parses the {@code X-Outrigger-Version} header form {@code "7.n2"}; null for null, blank or
   * malformed text (the lab then falls back to real-time order).
   */
  public static Version parse(String text) {
    if (text == null) {
      return null;
    }
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      return null;
    }
    try {
      return new Version(Long.parseLong(text.substring(0, dot)), text.substring(dot + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int compareTo(Version other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return time + "." + replica;
  }
}
