package io.outrigger.api.validation;

import static java.util.Objects.requireNonNull;

/**
 * A configuration was refused. The message names where and why, in the form {@code [source: ][line
 * N: ]field.path: reason}, so that a person can go straight to the line.
 *
 * <p>Thrown only at start-up and on config updates, never on the data path.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String fieldPath;
  private final String reason;

  /**
   * @param source the file or resource the config came from; empty when unknown
   * @param fieldPath the proto field path in config notation, e.g. {@code
   *     static_resources.clusters[0].connect_timeout}; empty for the whole document
   * @param reason what is wrong, e.g. {@code invalid duration "5x"}
   */
  public ConfigException(String source, String fieldPath, String reason) {
    this(source, 0, fieldPath, reason);
  }

  /**
   * @param source the file or resource the config came from; empty when unknown
   * @param line the 1-based line in the source where the field is written; 0 when unknown
   * @param fieldPath the proto field path in config notation; empty for the whole document
   * @param reason what is wrong
   */
  public ConfigException(String source, int line, String fieldPath, String reason) {
    super(format(source, line, fieldPath, reason));
    this.source = requireNonNull(source, "source");
    this.line = Math.max(0, line);
    this.fieldPath = requireNonNull(fieldPath, "fieldPath");
    this.reason = requireNonNull(reason, "reason");
  }

  /** A refusal of a field, with no source known yet; see {@link #withSource(String)}. */
  public static ConfigException at(String fieldPath, String reason) {
    return new ConfigException("", fieldPath, reason);
  }

  /** The same refusal, attributed to a file or resource. */
  public ConfigException withSource(String newSource) {
    return copy(newSource, line);
  }

  /** The same refusal, pointing at a line of the source (1-based; 0 for unknown). */
  public ConfigException withLine(int newLine) {
    return copy(source, newLine);
  }

  private ConfigException copy(String newSource, int newLine) {
    ConfigException e = new ConfigException(newSource, newLine, fieldPath, reason);
    if (getCause() != null) {
      e.initCause(getCause());
    }
    return e;
  }

  public String source() {
    return source;
  }

  /** The 1-based line in the source; 0 when unknown. */
  public int line() {
    return line;
  }

  public String fieldPath() {
    return fieldPath;
  }

  public String reason() {
    return reason;
  }

  private static String format(String source, int line, String fieldPath, String reason) {
    StringBuilder sb = new StringBuilder();
    if (source != null && !source.isEmpty()) {
      sb.append(source).append(": ");
    }
    if (line > 0) {
      sb.append("line ").append(line).append(": ");
    }
    if (fieldPath != null && !fieldPath.isEmpty()) {
      sb.append(fieldPath).append(": ");
    }
    return sb.append(reason).toString();
  }
}
