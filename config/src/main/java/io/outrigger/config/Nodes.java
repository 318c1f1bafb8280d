package io.outrigger.config;

import io.outrigger.api.validation.ConfigException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Small helpers over SnakeYAML nodes: lines, kinds, errors. */
final class Nodes {
  private Nodes() {}

  /** The 1-based line where {@code node} starts. */
  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  static ConfigException error(Node node, String path, String reason) {
    return new ConfigException("", line(node), path, reason);
  }

  /** A plain {@code ~}, {@code null} or empty scalar, as YAML's core schema reads it. */
  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
  }

  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "a scalar";
  }

  static MappingNode mapping(Node node, String path, String expected) throws ConfigException {
    if (node instanceof MappingNode mapping) {
      return mapping;
    }
    throw error(node, path, "expected " + expected + ", got " + kind(node));
  }

  static SequenceNode sequence(Node node, String path) throws ConfigException {
    if (node instanceof SequenceNode sequence) {
      return sequence;
    }
    throw error(node, path, "expected a list, got " + kind(node));
  }

  static ScalarNode scalar(Node node, String path, String expected) throws ConfigException {
    if (node instanceof ScalarNode scalar) {
      return scalar;
    }
    throw error(node, path, "expected " + expected + ", got " + kind(node));
  }
}
