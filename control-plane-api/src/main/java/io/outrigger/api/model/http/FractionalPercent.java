package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * {@code type.v3.FractionalPercent}: {@code numerator / denominator}, for "this share of requests".
 *
 * <p>Evaluated as Envoy's {@code ProtobufPercentHelper::evaluateFractionalPercent}: a request is
 * selected when {@code random % denominator < numerator}, so a numerator at or above the
 * denominator selects every request and {@code 0} selects none.
 *
 * @param numerator a uint32, {@code 0..4294967295}; default 0
 * @param denominator default {@link Denominator#HUNDRED}
 */
public record FractionalPercent(long numerator, Denominator denominator) {
  /** Selects nothing: Envoy's value for an unset percentage ({@code 0/100}). */
  public static final FractionalPercent ZERO = new FractionalPercent(0, Denominator.HUNDRED);

  /** Selects every request. */
  public static final FractionalPercent ALL = new FractionalPercent(100, Denominator.HUNDRED);

  /** {@code type.v3.FractionalPercent.DenominatorType}. */
  public enum Denominator {
    HUNDRED(100),
    TEN_THOUSAND(10_000),
    MILLION(1_000_000);

    private final long value;

    Denominator(long value) {
      this.value = value;
    }

    public long value() {
      return value;
    }
  }

  public FractionalPercent {
    requireNonNull(denominator, "denominator");
    if (numerator < 0 || numerator > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("numerator: " + numerator + " (expected: 0..4294967295)");
    }
  }

  /** {@code numerator} out of a hundred. */
  public static FractionalPercent percent(long numerator) {
    return new FractionalPercent(numerator, Denominator.HUNDRED);
  }

  /**
   * Whether a draw selects the request.
   *
   * @param random a uniformly drawn non-negative value (any range well above the denominator)
   */
  public boolean selects(long random) {
    return Math.floorMod(random, denominator.value) < numerator;
  }

  /** The same denominator with the numerator lowered to at most {@code max}. */
  public FractionalPercent withNumeratorAtMost(long max) {
    return max >= numerator ? this : new FractionalPercent(Math.max(0, max), denominator);
  }

  @Override
  public String toString() {
    return numerator + "/" + denominator.value;
  }
}
