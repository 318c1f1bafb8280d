package io.outrigger.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.outrigger.api.validation.ConfigException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Free-form YAML ({@code google.protobuf.Struct}, {@code Value}, {@code ListValue}, e.g. {@code
 * metadata}) as JSON. Plain scalars are read with YAML 1.2's core schema, as Envoy reads them:
 * {@code true}/{@code false}, numbers, {@code null}/{@code ~}; everything else, and every quoted
 * scalar, is a string.
 */
final class YamlJson {
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private final ScalarConverter scalars;

  YamlJson(ScalarConverter scalars) {
    this.scalars = scalars;
  }

  JsonElement convert(Node node, String path) throws ConfigException {
    if (node instanceof MappingNode mapping) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, NodeTuple> e : MappingEntries.of(mapping, path).entrySet()) {
        out.add(e.getKey(), convert(e.getValue().getValueNode(), path + "." + e.getKey()));
      }
      return out;
    }
    if (node instanceof SequenceNode sequence) {
      JsonArray out = new JsonArray();
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        out.add(convert(items.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    return scalar((ScalarNode) node, path);
  }

  private JsonElement scalar(ScalarNode node, String path) throws ConfigException {
    if (Nodes.isNull(node)) {
      return JsonNull.INSTANCE;
    }
    String text = scalars.text(node, path);
    if (!node.isPlain()) {
      return new JsonPrimitive(text);
    }
    if (text.equals("true") || text.equals("false")) {
      return new JsonPrimitive(Boolean.parseBoolean(text));
    }
    if (NUMBER.matcher(text).matches()) {
      return new JsonPrimitive(new BigDecimal(text));
    }
    return new JsonPrimitive(text);
  }
}
