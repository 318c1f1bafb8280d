package io.outrigger.config;

import io.outrigger.api.validation.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The entries of a YAML mapping as the config means them: merge keys ({@code <<: *base}) expanded,
 * explicit keys winning over merged ones, and duplicate explicit keys refused.
 */
final class MappingEntries {
  private MappingEntries() {}

  /** Keyed by the key's text, in document order. */
  static Map<String, NodeTuple> of(MappingNode mapping, String path) throws ConfigException {
    Map<String, NodeTuple> explicit = new LinkedHashMap<>();
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple entry : mapping.getValue()) {
      Node key = entry.getKeyNode();
      if (Tag.MERGE.equals(key.getTag())) {
        merged.addAll(mergedEntries(entry.getValueNode(), path));
        continue;
      }
      String name = Nodes.scalar(key, path, "a scalar key").getValue();
      NodeTuple first = explicit.putIfAbsent(name, entry);
      if (first != null) {
        throw Nodes.error(
            key,
            path.isEmpty() ? name : path + "." + name,
            "duplicate key \""
                + name
                + "\" (first at line "
                + Nodes.line(first.getKeyNode())
                + ")");
      }
    }
    for (NodeTuple entry : merged) {
      explicit.putIfAbsent(((ScalarNode) entry.getKeyNode()).getValue(), entry);
    }
    return explicit;
  }

  /** A merge value is one mapping or a list of them; earlier mappings win over later ones. */
  private static List<NodeTuple> mergedEntries(Node value, String path) throws ConfigException {
    List<NodeTuple> entries = new ArrayList<>();
    if (value instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        entries.addAll(of(Nodes.mapping(item, path, "a mapping to merge"), path).values());
      }
    } else {
      entries.addAll(of(Nodes.mapping(value, path, "a mapping to merge"), path).values());
    }
    return entries;
  }
}
