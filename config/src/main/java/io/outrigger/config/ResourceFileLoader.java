package io.outrigger.config;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.ClusterProto;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.EndpointProto;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerProto;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteProto;
import io.outrigger.api.validation.Anys;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.api.validation.ProtoTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a file of xDS resources: one YAML document, a list whose every item carries its {@code
 * "@type"} exactly as in the {@code resources} arrays of Envoy's documentation:
 *
 * <pre>
 * - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
 *   name: kv
 *   type: EDS
 *   eds_cluster_config: { eds_config: { ads: {} } }
 * </pre>
 *
 * <p>Each item is read as a bootstrap is ({@link BootstrapLoader}): {@code ${VAR}} substitution,
 * the walk against the proto descriptor that refuses unknown keys and bad values with line and
 * field, then {@link JsonFormat}. Translation and cross-resource checks are the caller's. Blocking
 * file I/O on the caller's thread.
 */
public final class ResourceFileLoader {
  /** The resource types a file may list. */
  public static final List<Descriptor> RESOURCE_TYPES =
      List.of(
          ProtoTypes.message(ListenerProto.getDescriptor(), "Listener"),
          ProtoTypes.message(RouteProto.getDescriptor(), "RouteConfiguration"),
          ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster"),
          ProtoTypes.message(EndpointProto.getDescriptor(), "ClusterLoadAssignment"));

  private static final Map<String, Class<? extends Message>> CLASSES =
      Map.of(
          ProtoTypes.message(ListenerProto.getDescriptor(), "Listener").getFullName(),
              Listener.class,
          ProtoTypes.message(RouteProto.getDescriptor(), "RouteConfiguration").getFullName(),
              RouteConfiguration.class,
          ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster").getFullName(), Cluster.class,
          ProtoTypes.message(EndpointProto.getDescriptor(), "ClusterLoadAssignment").getFullName(),
              ClusterLoadAssignment.class);

  private ResourceFileLoader() {}

  /**
   * @param file the file; its name as given is the source in messages
   * @param env the variables {@code ${VAR}} may name
   */
  public static ResourceFile load(Path file, Map<String, String> env) throws ConfigException {
    return load(file, file.toString(), env);
  }

  /**
   * @param file the file
   * @param source what to call it in messages, e.g. its path relative to the resource folder
   * @param env the variables {@code ${VAR}} may name
   */
  public static ResourceFile load(Path file, String source, Map<String, String> env)
      throws ConfigException {
    return load(SourceText.read(file, source), source, env);
  }

  /**
   * @param yaml the file's text
   * @param source what to call it in messages
   * @param env the variables {@code ${VAR}} may name
   */
  public static ResourceFile load(String yaml, String source, Map<String, String> env)
      throws ConfigException {
    requireNonNull(yaml, "yaml");
    requireNonNull(source, "source");
    requireNonNull(env, "env");
    LineIndex lines = new LineIndex();
    try {
      SequenceNode list = YamlDocument.parseList(yaml);
      YamlProtoWalker walker = new YamlProtoWalker(env, EnvoyTypeRegistry.get(), lines);
      List<Message> resources = new ArrayList<>();
      for (int i = 0; i < list.getValue().size(); i++) {
        resources.add(resource(walker, list.getValue().get(i), ResourceFile.path(i)));
      }
      return new ResourceFile(source, resources, lines);
    } catch (ConfigException e) {
      throw e.withSource(source);
    }
  }

  private static Message resource(YamlProtoWalker walker, Node item, String path)
      throws ConfigException {
    MappingNode mapping = Nodes.mapping(item, path, "a resource (a mapping with \"@type\")");
    requireSupportedType(mapping, path);
    String json = walker.anyMessage(mapping, path).toString();
    Any.Builder any = Any.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(EnvoyTypeRegistry.get()).merge(json, any);
      String type = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
      return Anys.unpack(any.build(), CLASSES.get(type));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The walker checks what JsonFormat checks; reaching here is a gap in the walker.
      throw Nodes.error(item, path, "invalid resource: " + e.getMessage());
    }
  }

  /** Refuses a type other than the four, by its URL, before its fields are read. */
  private static void requireSupportedType(MappingNode mapping, String path)
      throws ConfigException {
    for (NodeTuple entry : mapping.getValue()) {
      if (entry.getKeyNode() instanceof ScalarNode key
          && key.getValue().equals("@type")
          && entry.getValueNode() instanceof ScalarNode value) {
        String url = value.getValue();
        String type = url.substring(url.lastIndexOf('/') + 1);
        if (!url.contains("/") || !CLASSES.containsKey(type)) {
          throw Nodes.error(
              value,
              path,
              "resource type \"" + url + "\" not supported (supported: " + supported() + ")");
        }
        return;
      }
    }
    throw Nodes.error(
        mapping,
        path,
        "missing \"@type\" (e.g. type.googleapis.com/envoy.config.cluster.v3.Cluster)");
  }

  private static String supported() {
    return RESOURCE_TYPES.stream()
        .map(d -> "type.googleapis.com/" + d.getFullName())
        .collect(Collectors.joining(", "));
  }
}
