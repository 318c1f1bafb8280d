package io.outrigger.api.model.accesslog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A format string parsed once into literal text and command operators, as Envoy's substitution
 * formatter parses it: {@code %COMMAND%}, {@code %COMMAND(param)%}, {@code %COMMAND(param):N%}.
 *
 * @param source the string as configured
 * @param segments its literal and operator parts, in order
 */
public record FormatString(String source, List<Segment> segments) {
  // Envoy's command syntax: upper-case name, an optional (parameter), an optional :length.
  private static final Pattern COMMAND = Pattern.compile("%([A-Z0-9_]+)(\\([^)]*\\))?(:[0-9]+)?%");

  public FormatString {
    requireNonNull(source, "source");
    segments = List.copyOf(segments);
  }

  /** A part of a format string. */
  public sealed interface Segment {}

  /** Text written as it is. */
  public record Literal(String text) implements Segment {
    public Literal {
      requireNonNull(text, "text");
    }
  }

  /**
   * A command operator.
   *
   * @param command which value
   * @param header for {@code REQ}/{@code RESP}: the header name, lower case; otherwise empty
   * @param alternative for {@code REQ}/{@code RESP}: the header read when {@code header} is absent,
   *     lower case; otherwise empty
   * @param maxLength the value is cut to this many characters
   */
  public record Operator(Command command, String header, String alternative, OptionalInt maxLength)
      implements Segment {
    public Operator {
      requireNonNull(command, "command");
      requireNonNull(header, "header");
      requireNonNull(alternative, "alternative");
      requireNonNull(maxLength, "maxLength");
    }
  }

  /** Whether the whole string is exactly one operator (its type is kept in JSON). */
  public boolean isSingleOperator() {
    return segments.size() == 1 && segments.get(0) instanceof Operator;
  }

  /**
   * Parses {@code source}.
   *
   * @throws IllegalArgumentException naming the operator or the position that is wrong
   */
  public static FormatString parse(String source) {
    List<Segment> out = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int pos = 0;
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (c != '%') {
        literal.append(c);
        pos++;
        continue;
      }
      Matcher m = COMMAND.matcher(source).region(pos, source.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException(
            "no valid command operator at position " + pos + " of \"" + source + "\"");
      }
      if (!literal.isEmpty()) {
        out.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      out.add(operator(m.group(0), m.group(1), m.group(2), m.group(3)));
      pos = m.end();
    }
    if (!literal.isEmpty()) {
      out.add(new Literal(literal.toString()));
    }
    return new FormatString(source, out);
  }

  private static Operator operator(String token, String name, String param, String length) {
    Command command =
        Command.named(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown command operator "
                            + token
                            + " (supported: "
                            + Arrays.stream(Command.values())
                                .map(Enum::name)
                                .collect(Collectors.joining(", "))
                            + ")"));
    OptionalInt maxLength =
        length == null ? OptionalInt.empty() : OptionalInt.of(parseLength(token, length));
    if (command.syntax() == Command.Syntax.COMMAND_ONLY) {
      if (param != null || length != null) {
        throw new IllegalArgumentException(
            "command operator " + token + ": " + name + " does not take any parameters or length");
      }
      return new Operator(command, "", "", maxLength);
    }
    String inner = param == null ? "" : param.substring(1, param.length() - 1);
    if (inner.isEmpty()) {
      throw new IllegalArgumentException(
          "command operator " + token + ": " + name + " requires a header name");
    }
    String[] names = inner.split("\\?", -1);
    if (names.length > 2) {
      throw new IllegalArgumentException(
          "command operator " + token + ": more than 1 alternative header specified");
    }
    if (names[0].isEmpty() || (names.length == 2 && names[1].isEmpty())) {
      throw new IllegalArgumentException("command operator " + token + ": empty header name");
    }
    return new Operator(
        command,
        names[0].toLowerCase(Locale.ROOT),
        names.length == 2 ? names[1].toLowerCase(Locale.ROOT) : "",
        maxLength);
  }

  private static int parseLength(String token, String length) {
    try {
      return Integer.parseInt(length.substring(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "command operator " + token + ": length " + length.substring(1) + " too large");
    }
  }
}
