package io.outrigger.api.validation;

import com.google.protobuf.UInt32Value;
import java.time.Duration;

/** Reads well-known proto values into Java types, refusing what the proto allows but is wrong. */
final class ProtoValues {
  private ProtoValues() {}

  /** A {@code google.protobuf.Duration}, refused when malformed or negative. */
  static Duration duration(com.google.protobuf.Duration d, String path) throws ConfigException {
    boolean sameSign =
        d.getSeconds() == 0 || d.getNanos() == 0 || (d.getSeconds() < 0) == (d.getNanos() < 0);
    if (!sameSign || Math.abs(d.getNanos()) > 999_999_999) {
      throw ConfigException.at(
          path, "invalid duration " + d.getSeconds() + "s " + d.getNanos() + "ns");
    }
    Duration value = Duration.ofSeconds(d.getSeconds(), d.getNanos());
    if (value.isNegative()) {
      throw ConfigException.at(path, format(value) + " (expected: >= 0s)");
    }
    return value;
  }

  /** A {@code google.protobuf.UInt32Value} that must fit a positive Java int. */
  static int positiveInt(UInt32Value v, String path) throws ConfigException {
    long value = Integer.toUnsignedLong(v.getValue());
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw ConfigException.at(path, value + " (expected: 1.." + Integer.MAX_VALUE + ")");
    }
    return (int) value;
  }

  /** A {@code type.v3.FractionalPercent}; an unknown denominator is refused. */
  static io.outrigger.api.model.http.FractionalPercent fractionalPercent(
      io.envoyproxy.envoy.type.v3.FractionalPercent p, String path) throws ConfigException {
    io.outrigger.api.model.http.FractionalPercent.Denominator d =
        switch (p.getDenominator()) {
          case HUNDRED -> io.outrigger.api.model.http.FractionalPercent.Denominator.HUNDRED;
          case TEN_THOUSAND ->
              io.outrigger.api.model.http.FractionalPercent.Denominator.TEN_THOUSAND;
          case MILLION -> io.outrigger.api.model.http.FractionalPercent.Denominator.MILLION;
          default ->
              throw ConfigException.at(
                  field(path, "denominator"),
                  p.getDenominatorValue() + " (expected: HUNDRED, TEN_THOUSAND or MILLION)");
        };
    return new io.outrigger.api.model.http.FractionalPercent(
        Integer.toUnsignedLong(p.getNumerator()), d);
  }

  private static String field(String path, String name) {
    return Paths.field(path, name);
  }

  /** A duration as Envoy writes it: {@code 5s}, {@code 0.25s}. */
  static String format(Duration d) {
    if (d.getNano() == 0) {
      return d.getSeconds() + "s";
    }
    return java.math.BigDecimal.valueOf(d.getSeconds())
            .add(java.math.BigDecimal.valueOf(d.getNano(), 9))
            .stripTrailingZeros()
            .toPlainString()
        + "s";
  }
}
