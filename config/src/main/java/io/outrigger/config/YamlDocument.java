package io.outrigger.config;

import io.outrigger.api.validation.ConfigException;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads config text into SnakeYAML's node tree, which keeps every node's line. Refuses what is not
 * exactly one YAML document whose top level is a mapping (a bootstrap) or a list (a resource file).
 */
final class YamlDocument {
  private YamlDocument() {}

  static MappingNode parse(String text) throws ConfigException {
    Node root = root(text, "bootstrap document", "a YAML mapping with the bootstrap");
    return Nodes.mapping(root, "", "a mapping at the top level (a YAML bootstrap)");
  }

  /** A resource file: one document whose top level is a list. */
  static SequenceNode parseList(String text) throws ConfigException {
    Node root = root(text, "list of resources", "a YAML list of resources; write [] for none");
    if (root instanceof SequenceNode sequence) {
      return sequence;
    }
    throw Nodes.error(
        root,
        "",
        "expected a list of resources at the top level (each with \"@type\"), got "
            + Nodes.kind(root));
  }

  private static Node root(String text, String one, String expected) throws ConfigException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    Yaml yaml = new Yaml(options);
    Node root = null;
    try {
      for (Node document : yaml.composeAll(new StringReader(text))) {
        if (root != null) {
          throw Nodes.error(
              document, "", "more than one YAML document (expected: one " + one + ")");
        }
        root = document;
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new ConfigException("", line, "", "invalid YAML: " + problem);
    } catch (YAMLException e) {
      throw new ConfigException("", "", "invalid YAML: " + e.getMessage());
    }
    if (root == null || Nodes.isNull(root)) {
      throw new ConfigException("", "", "empty document (expected: " + expected + ")");
    }
    return root;
  }
}
