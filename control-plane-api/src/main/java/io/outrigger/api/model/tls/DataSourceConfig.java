package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code core.v3.DataSource} for PEM material: a file the sidecar reads (and watches for
 * rotation), or the PEM text inline.
 *
 * @param kind where the bytes are
 * @param value the file's path, or the inline PEM text
 */
public record DataSourceConfig(Kind kind, String value) {
  /** Where the bytes are. */
  public enum Kind {
    /** {@code filename}: read at configuration time and watched for changes. */
    FILENAME,
    /** {@code inline_string} or {@code inline_bytes}: fixed for the configuration's life. */
    INLINE
  }

  public DataSourceConfig {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("value: empty (expected: a file name or PEM text)");
    }
  }

  public static DataSourceConfig file(String path) {
    return new DataSourceConfig(Kind.FILENAME, path);
  }

  public static DataSourceConfig inline(String pem) {
    return new DataSourceConfig(Kind.INLINE, pem);
  }

  /** For logs and metric labels: the file's path, or {@code <inline>}. */
  public String describe() {
    return kind == Kind.FILENAME ? value : "<inline>";
  }

  @Override
  public String toString() {
    // Never print inline key material.
    return "DataSourceConfig[" + kind + ", " + describe() + "]";
  }
}
