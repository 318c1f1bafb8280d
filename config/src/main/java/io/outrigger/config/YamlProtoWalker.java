package io.outrigger.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.util.JsonFormat;
import io.outrigger.api.validation.ConfigException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Walks the YAML node tree alongside a protobuf {@link Descriptor} and writes the proto3 JSON that
 * {@link JsonFormat} then binds. It exists for the errors: every key is checked to be a field,
 * every value to fit its field's type, and each refusal names the field path and line.
 *
 * <p>Keys may be proto names ({@code connect_timeout}) or JSON names ({@code connectTimeout});
 * paths and output always use proto names. One walker reads one document.
 */
final class YamlProtoWalker {
  private static final int MAX_DEPTH = 64;
  private static final String TYPE_KEY = "@type";
  private static final Set<String> WRAPPERS =
      Set.of(
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue");

  private final JsonFormat.TypeRegistry registry;
  private final LineIndex lines;
  private final ScalarConverter scalars;
  private final YamlJson anyYaml;

  YamlProtoWalker(Map<String, String> env, JsonFormat.TypeRegistry registry, LineIndex lines) {
    this.registry = registry;
    this.lines = lines;
    this.scalars = new ScalarConverter(env);
    this.anyYaml = new YamlJson(scalars);
  }

  /** The JSON for a message of {@code type} written as the mapping {@code node}. */
  JsonObject message(Node node, Descriptor type, String path) throws ConfigException {
    return message(node, type, path, 0);
  }

  private JsonObject message(Node node, Descriptor type, String path, int depth)
      throws ConfigException {
    MappingNode mapping = Nodes.mapping(node, path, "a mapping (" + type.getFullName() + ")");
    JsonObject out = new JsonObject();
    fields(MappingEntries.of(mapping, path), type, path, depth, out);
    return out;
  }

  private void fields(
      Map<String, NodeTuple> entries, Descriptor type, String path, int depth, JsonObject out)
      throws ConfigException {
    if (depth > MAX_DEPTH) {
      throw ConfigException.at(path, "nested too deeply (more than " + MAX_DEPTH + " levels)");
    }
    Map<OneofDescriptor, String> oneofs = new HashMap<>();
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      Node key = entry.getValue().getKeyNode();
      FieldDescriptor field = FieldNames.find(type, entry.getKey());
      if (field == null) {
        throw Nodes.error(
            key, join(path, entry.getKey()), FieldNames.unknown(type, entry.getKey()));
      }
      String fieldPath = join(path, field.getName());
      lines.record(fieldPath, Nodes.line(key));
      if (out.has(field.getName())) {
        throw Nodes.error(key, fieldPath, "given twice (as proto name and as JSON name)");
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && oneofs.putIfAbsent(oneof, field.getName()) != null) {
        throw Nodes.error(
            key,
            fieldPath,
            "only one of " + oneof.getName() + " may be set, and " + oneofs.get(oneof) + " is");
      }
      JsonElement value = field(entry.getValue().getValueNode(), field, fieldPath, depth);
      if (value != null) {
        out.add(field.getName(), value);
      }
    }
  }

  private JsonElement field(Node node, FieldDescriptor field, String path, int depth)
      throws ConfigException {
    if (Nodes.isNull(node)) {
      // An explicit null leaves the field unset, except where null is itself a value.
      boolean isValue =
          !field.isRepeated()
              && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              && field.getMessageType().getFullName().equals("google.protobuf.Value");
      return isValue ? JsonNull.INSTANCE : null;
    }
    if (field.isMapField()) {
      return map(node, field, path, depth);
    }
    if (!field.isRepeated()) {
      return single(node, field, path, depth);
    }
    SequenceNode sequence = Nodes.sequence(node, path);
    JsonArray array = new JsonArray();
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      lines.record(itemPath, Nodes.line(items.get(i)));
      if (Nodes.isNull(items.get(i))) {
        throw Nodes.error(items.get(i), itemPath, "null list item");
      }
      array.add(single(items.get(i), field, itemPath, depth));
    }
    return array;
  }

  private JsonElement map(Node node, FieldDescriptor field, String path, int depth)
      throws ConfigException {
    MappingNode mapping = Nodes.mapping(node, path, "a mapping");
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    JsonObject out = new JsonObject();
    for (Map.Entry<String, NodeTuple> entry : MappingEntries.of(mapping, path).entrySet()) {
      String entryPath = path + "[\"" + entry.getKey() + "\"]";
      lines.record(entryPath, Nodes.line(entry.getValue().getKeyNode()));
      JsonElement key =
          scalars.convert(
              Nodes.scalar(entry.getValue().getKeyNode(), entryPath, "a scalar key"),
              keyField,
              entryPath);
      JsonElement value = single(entry.getValue().getValueNode(), valueField, entryPath, depth);
      out.add(key.getAsString(), value);
    }
    return out;
  }

  private JsonElement single(Node node, FieldDescriptor field, String path, int depth)
      throws ConfigException {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return messageValue(node, field.getMessageType(), path, depth + 1);
    }
    return scalars.convert(
        Nodes.scalar(node, path, "a " + field.getType().name().toLowerCase() + " value"),
        field,
        path);
  }

  private JsonElement messageValue(Node node, Descriptor type, String path, int depth)
      throws ConfigException {
    String name = type.getFullName();
    if (WRAPPERS.contains(name)) {
      FieldDescriptor value = type.findFieldByName("value");
      return scalars.convert(Nodes.scalar(node, path, "a scalar (" + name + ")"), value, path);
    }
    return switch (name) {
      case "google.protobuf.Duration" -> duration(node, path);
      case "google.protobuf.Timestamp" ->
          scalars.timestamp(Nodes.scalar(node, path, "an RFC 3339 timestamp"), path);
      case "google.protobuf.FieldMask" ->
          scalars.convert(
              Nodes.scalar(node, path, "a field mask"), type.findFieldByName("paths"), path);
      case "google.protobuf.Struct" ->
          anyYaml.convert(Nodes.mapping(node, path, "a mapping"), path);
      case "google.protobuf.ListValue" -> anyYaml.convert(Nodes.sequence(node, path), path);
      case "google.protobuf.Value" -> anyYaml.convert(node, path);
      case "google.protobuf.Any" -> any(node, path, depth);
      default -> message(node, type, path, depth);
    };
  }

  /**
   * The JSON of one {@code google.protobuf.Any} written as the mapping {@code node}: {@code
   * "@type"} and the named message's fields, as a resource file lists them.
   */
  JsonElement anyMessage(Node node, String path) throws ConfigException {
    lines.record(path, Nodes.line(node));
    return any(node, path, 0);
  }

  private JsonElement duration(Node node, String path) throws ConfigException {
    if (node instanceof MappingNode mapping) {
      JsonObject parts = message(mapping, com.google.protobuf.Duration.getDescriptor(), path, 0);
      long seconds = parts.has("seconds") ? parts.get("seconds").getAsLong() : 0;
      int nanos = parts.has("nanos") ? parts.get("nanos").getAsInt() : 0;
      try {
        return new com.google.gson.JsonPrimitive(
            com.google.protobuf.util.Durations.toString(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(seconds)
                    .setNanos(nanos)
                    .build()));
      } catch (IllegalArgumentException e) {
        throw Nodes.error(
            node, path, "invalid duration {seconds: " + seconds + ", nanos: " + nanos + "}");
      }
    }
    return scalars.duration(Nodes.scalar(node, path, "a duration such as \"5s\""), path);
  }

  /**
   * A {@code google.protobuf.Any}: {@code "@type"} names the message, resolved in the registry, and
   * the other keys are that message's fields.
   */
  private JsonElement any(Node node, String path, int depth) throws ConfigException {
    MappingNode mapping = Nodes.mapping(node, path, "a mapping with \"@type\"");
    Map<String, NodeTuple> entries =
        new java.util.LinkedHashMap<>(MappingEntries.of(mapping, path));
    NodeTuple typeEntry = entries.remove(TYPE_KEY);
    if (typeEntry == null) {
      throw Nodes.error(node, path, "missing \"@type\" (e.g. type.googleapis.com/<message name>)");
    }
    Node typeNode = typeEntry.getValueNode();
    String typeUrl = scalars.text(Nodes.scalar(typeNode, path, "a type URL"), path);
    int slash = typeUrl.lastIndexOf('/');
    Descriptor type = slash < 0 ? null : registry.find(typeUrl.substring(slash + 1));
    if (type == null) {
      throw Nodes.error(typeNode, path, "unknown type \"" + typeUrl + "\"");
    }
    JsonObject out = new JsonObject();
    out.addProperty(TYPE_KEY, typeUrl);
    if (type.getFullName().startsWith("google.protobuf.")) {
      NodeTuple value = entries.remove("value");
      if (value == null || !entries.isEmpty()) {
        throw Nodes.error(node, path, "expected \"@type\" and \"value\" for " + type.getFullName());
      }
      out.add("value", messageValue(value.getValueNode(), type, join(path, "value"), depth + 1));
      return out;
    }
    fields(entries, type, path, depth + 1, out);
    return out;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
