package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;

/**
 * One rule of the partition filters ({@code outrigger.filters.partition} and {@code
 * outrigger.filters.network.partition}): what happens to traffic from this node to one peer node.
 *
 * @param peer the peer node's name, lower-cased (a request's peer is its authority's host without
 *     port, compared case-insensitively); not empty
 * @param action what happens to that traffic
 * @param delay for {@link Action#DELAY}: how long each request (or new connection) waits, above
 *     zero; {@link Duration#ZERO} for every other action
 * @param fraction for {@link Action#LOSE}: the share of requests (or connections) dropped, in
 *     {@code (0, 1]}; default 1.0 (all). Ignored by the other actions and then 1.0
 */
public record PartitionRule(String peer, Action action, Duration delay, double fraction) {
  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)");

  /** What a rule does to the traffic it selects. */
  public enum Action {
    /** Hold the request (or connection) and never answer: the caller times out. */
    DROP,
    /** Answer at once that the peer is unreachable (503 for HTTP, a close for TCP). */
    REFUSE,
    /** Reset: an HTTP/2 RST_STREAM or HTTP/1.1 close without answer; a TCP RST. */
    RESET,
    /** Let it through after {@code delay}. */
    DELAY,
    /** Drop a {@code fraction} of it, let the rest through. */
    LOSE;

    /** The action named as in the config ({@code "drop"}, case-insensitive). */
    public static Action parse(String name) {
      requireNonNull(name, "name");
      for (Action a : values()) {
        if (a.name().equalsIgnoreCase(name)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "action: \"" + name + "\" (expected: drop, refuse, reset, delay or lose)");
    }

    /** The name as the config writes it: {@code drop}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public PartitionRule {
    requireNonNull(peer, "peer");
    requireNonNull(action, "action");
    requireNonNull(delay, "delay");
    peer = peer.toLowerCase(Locale.ROOT);
    if (peer.isEmpty()) {
      throw new IllegalArgumentException("peer: empty (expected: a node name)");
    }
    if (action == Action.DELAY) {
      if (delay.isZero() || delay.isNegative()) {
        throw new IllegalArgumentException(
            "delay: " + delay + " (expected: > 0s for action delay)");
      }
    } else if (!delay.isZero()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: only with action delay)");
    }
    if (!(fraction > 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException("fraction: " + fraction + " (expected: (0, 1])");
    }
    if (action != Action.LOSE && fraction != 1.0) {
      throw new IllegalArgumentException(
          "fraction: " + fraction + " (expected: only with action lose)");
    }
  }

  /**
   * A delay as written in the config: protobuf's JSON form ({@code "1.5s"}) or milliseconds ({@code
   * "200ms"}), which is how people write delays.
   *
   * @throws IllegalArgumentException {@code "delay: ..."} when it is neither
   */
  public static Duration parseDelay(String text) {
    java.util.regex.Matcher m = DURATION.matcher(requireNonNull(text, "text").trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "delay: \"" + text + "\" (expected: a duration like 200ms or 1.5s)");
    }
    java.math.BigDecimal nanos =
        new java.math.BigDecimal(m.group(1))
            .multiply(
                java.math.BigDecimal.valueOf(
                    m.group(2).equals("ms") ? 1_000_000L : 1_000_000_000L));
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "delay: \"" + text + "\" (expected: a whole number of nanoseconds)");
    }
  }

  /**
   * A delay as {@link #parseDelay} reads it: {@code 200ms} when whole milliseconds, else seconds.
   */
  public static String formatDelay(Duration d) {
    if (d.toNanos() % 1_000_000 == 0) {
      return d.toMillis() + "ms";
    }
    return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }

  /** A rule with no delay and fraction 1.0: {@code drop}, {@code refuse} or {@code reset}. */
  public static PartitionRule of(String peer, Action action) {
    return new PartitionRule(peer, action, Duration.ZERO, 1.0);
  }
}
