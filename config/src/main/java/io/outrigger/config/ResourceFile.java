package io.outrigger.config;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import java.util.List;

/**
 * A resource file read and bound: its xDS resources in file order, and where each field was
 * written, so that a refusal found later (by a translator or a cross-resource check) can name the
 * line.
 *
 * <p>Field paths start with the resource's index in the file: {@code [2].filter_chains[0]}.
 */
public final class ResourceFile {
  private final String source;
  private final List<Message> resources;
  private final LineIndex lines;

  ResourceFile(String source, List<Message> resources, LineIndex lines) {
    this.source = requireNonNull(source, "source");
    this.resources = List.copyOf(resources);
    this.lines = requireNonNull(lines, "lines");
  }

  /** The file as named in messages. */
  public String source() {
    return source;
  }

  /**
   * The resources, each a {@code Listener}, {@code RouteConfiguration}, {@code Cluster} or {@code
   * ClusterLoadAssignment} of Envoy's v3 API (see {@link ResourceFileLoader#RESOURCE_TYPES}).
   */
  public List<Message> resources() {
    return resources;
  }

  /** The path of resource {@code index} in this file, the prefix of its field paths. */
  public static String path(int index) {
    return "[" + index + "]";
  }

  /** The 1-based line of {@code fieldPath} or of its nearest written ancestor; 0 when unknown. */
  public int lineOf(String fieldPath) {
    return lines.lineOf(fieldPath);
  }
}
