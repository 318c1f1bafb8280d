package io.outrigger.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.outrigger.api.validation.ConfigException;
import java.math.BigInteger;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks one scalar against a proto field's type and writes it in proto3 JSON form. The YAML tag is
 * not trusted ({@code 0.25s}, {@code yes}, {@code 010} are all text until the field's type says
 * what they are); the text after {@code ${VAR}} substitution is.
 */
final class ScalarConverter {
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final BigInteger MAX_UINT64 =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final Map<String, String> env;

  ScalarConverter(Map<String, String> env) {
    this.env = env;
  }

  /** The scalar's text with {@code ${VAR}} substituted. */
  String text(ScalarNode node, String path) throws ConfigException {
    try {
      return EnvSubstitution.substitute(node.getValue(), env);
    } catch (IllegalArgumentException e) {
      throw Nodes.error(node, path, e.getMessage());
    }
  }

  JsonElement convert(ScalarNode node, FieldDescriptor field, String path) throws ConfigException {
    String text = text(node, path);
    return switch (field.getType()) {
      case STRING -> new JsonPrimitive(text);
      case BOOL -> bool(node, text, path);
      case ENUM -> enumValue(node, field.getEnumType(), text, path);
      case BYTES -> bytes(node, text, path);
      case FLOAT, DOUBLE -> floating(node, field, text, path);
      case INT32, SINT32, SFIXED32 -> integer(node, field, text, path, -(1L << 31), (1L << 31) - 1);
      case UINT32, FIXED32 -> integer(node, field, text, path, 0, (1L << 32) - 1);
      case INT64, SINT64, SFIXED64 -> integer64(node, field, text, path, true);
      case UINT64, FIXED64 -> integer64(node, field, text, path, false);
      default -> throw Nodes.error(node, path, "unsupported field type " + field.getType());
    };
  }

  JsonElement duration(ScalarNode node, String path) throws ConfigException {
    String text = text(node, path);
    try {
      Durations.parse(text);
      return new JsonPrimitive(text);
    } catch (ParseException | IllegalArgumentException e) {
      throw Nodes.error(node, path, "invalid duration \"" + text + "\"");
    }
  }

  JsonElement timestamp(ScalarNode node, String path) throws ConfigException {
    String text = text(node, path);
    try {
      Timestamps.parse(text);
      return new JsonPrimitive(text);
    } catch (ParseException | IllegalArgumentException e) {
      throw Nodes.error(node, path, "invalid timestamp \"" + text + "\" (expected: RFC 3339)");
    }
  }

  private static JsonElement bool(ScalarNode node, String text, String path)
      throws ConfigException {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return new JsonPrimitive(Boolean.parseBoolean(text));
    }
    throw Nodes.error(node, path, "invalid bool \"" + text + "\" (expected: true or false)");
  }

  private static JsonElement enumValue(
      ScalarNode node, EnumDescriptor type, String text, String path) throws ConfigException {
    EnumValueDescriptor value = type.findValueByName(text);
    if (value == null && INTEGER.matcher(text).matches() && text.length() < 10) {
      value = type.findValueByNumber(Integer.parseInt(text));
    }
    if (value != null) {
      return new JsonPrimitive(value.getName());
    }
    String expected =
        type.getValues().stream()
            .filter(v -> !v.getOptions().getDeprecated() && !v.getName().contains("DEPRECATED"))
            .map(EnumValueDescriptor::getName)
            .collect(Collectors.joining(", "));
    throw Nodes.error(
        node,
        path,
        "invalid value \""
            + text
            + "\" for "
            + type.getFullName()
            + " (expected one of: "
            + expected
            + ")");
  }

  private static JsonElement bytes(ScalarNode node, String text, String path)
      throws ConfigException {
    try {
      Base64.getDecoder().decode(text);
      return new JsonPrimitive(text);
    } catch (IllegalArgumentException e) {
      throw Nodes.error(node, path, "invalid bytes \"" + text + "\" (expected: base64)");
    }
  }

  private static JsonElement floating(
      ScalarNode node, FieldDescriptor field, String text, String path) throws ConfigException {
    try {
      double value = Double.parseDouble(text);
      if (!Double.isFinite(value)) {
        throw new NumberFormatException();
      }
      return new JsonPrimitive(value);
    } catch (NumberFormatException e) {
      throw Nodes.error(node, path, "invalid " + typeName(field) + " \"" + text + "\"");
    }
  }

  private static JsonElement integer(
      ScalarNode node, FieldDescriptor field, String text, String path, long min, long max)
      throws ConfigException {
    BigInteger value = parseInteger(node, field, text, path);
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw Nodes.error(
          node,
          path,
          text + " out of range for " + typeName(field) + " (" + min + ".." + max + ")");
    }
    return new JsonPrimitive(value.longValue());
  }

  /** 64-bit values are written as JSON strings, proto3 JSON's lossless form. */
  private static JsonElement integer64(
      ScalarNode node, FieldDescriptor field, String text, String path, boolean signed)
      throws ConfigException {
    BigInteger value = parseInteger(node, field, text, path);
    BigInteger min = signed ? BigInteger.valueOf(Long.MIN_VALUE) : BigInteger.ZERO;
    BigInteger max = signed ? BigInteger.valueOf(Long.MAX_VALUE) : MAX_UINT64;
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw Nodes.error(
          node,
          path,
          text + " out of range for " + typeName(field) + " (" + min + ".." + max + ")");
    }
    return new JsonPrimitive(value.toString());
  }

  private static BigInteger parseInteger(
      ScalarNode node, FieldDescriptor field, String text, String path) throws ConfigException {
    if (!INTEGER.matcher(text).matches()) {
      throw Nodes.error(node, path, "invalid " + typeName(field) + " \"" + text + "\"");
    }
    return new BigInteger(text);
  }

  private static String typeName(FieldDescriptor field) {
    return field.getType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
