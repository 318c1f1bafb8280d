package io.outrigger.api.model.accesslog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code envoy.config.accesslog.v3.AccessLogFilter}: whether a finished stream is logged. Pure
 * logic, evaluated on the stream's event loop.
 */
public sealed interface AccessLogFilter {

  /**
   * @param responseCode the response code, 0 when there was none (a TCP connection)
   * @param durationMillis the stream's duration in milliseconds
   */
  boolean test(int responseCode, long durationMillis);

  /** {@code status_code_filter}: compares the response code (0 when there is none). */
  record StatusCode(Comparison comparison) implements AccessLogFilter {
    public StatusCode {
      requireNonNull(comparison, "comparison");
    }

    @Override
    public boolean test(int responseCode, long durationMillis) {
      return comparison.test(responseCode);
    }
  }

  /** {@code duration_filter}: compares the stream's duration in milliseconds. */
  record Duration(Comparison comparison) implements AccessLogFilter {
    public Duration {
      requireNonNull(comparison, "comparison");
    }

    @Override
    public boolean test(int responseCode, long durationMillis) {
      return comparison.test(durationMillis);
    }
  }

  /** {@code and_filter}: every filter must pass. */
  record And(List<AccessLogFilter> filters) implements AccessLogFilter {
    public And {
      filters = List.copyOf(filters);
      if (filters.size() < 2) {
        throw new IllegalArgumentException("filters: " + filters.size() + " (expected: >= 2)");
      }
    }

    @Override
    public boolean test(int responseCode, long durationMillis) {
      for (AccessLogFilter f : filters) {
        if (!f.test(responseCode, durationMillis)) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code or_filter}: one filter must pass. */
  record Or(List<AccessLogFilter> filters) implements AccessLogFilter {
    public Or {
      filters = List.copyOf(filters);
      if (filters.size() < 2) {
        throw new IllegalArgumentException("filters: " + filters.size() + " (expected: >= 2)");
      }
    }

    @Override
    public boolean test(int responseCode, long durationMillis) {
      for (AccessLogFilter f : filters) {
        if (f.test(responseCode, durationMillis)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code ComparisonFilter}: {@code op} against {@code value.default_value}. */
  record Comparison(Op op, long value) {
    public Comparison {
      requireNonNull(op, "op");
    }

    public boolean test(long actual) {
      return switch (op) {
        case EQ -> actual == value;
        case GE -> actual >= value;
        case LE -> actual <= value;
      };
    }
  }

  /** The comparison operators of {@code ComparisonFilter.Op}. */
  enum Op {
    EQ,
    GE,
    LE
  }
}
