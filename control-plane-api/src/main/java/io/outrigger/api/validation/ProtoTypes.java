package io.outrigger.api.validation;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * Finds a message type's descriptor in its {@code .proto} file's descriptor, so that naming a type
 * does not load its generated class.
 *
 * <p>{@code Cluster.getDescriptor()} is a static method of the generated message class: calling it
 * loads and initialises {@code Cluster}, its {@code ClusterOrBuilder} interface and its parser
 * class, and builds its default instance. The supported-field tables, the type registry and the
 * translators name a few hundred Envoy types that way, and a sidecar's class-data archive keeps
 * every class it ever loaded resident, although its configuration holds only a few dozen of those
 * types. The file's outer class ({@code ClusterProto}) is loaded for any descriptor anyway, and
 * builds the descriptors of every message in the file without touching their classes; so the
 * callers pass the outer class's descriptor, which the compiler checks, and the message's name.
 *
 * <p>A name the file does not hold is a programming error: it fails the caller's class
 * initialisation, which the tests of each table and translator run.
 */
public final class ProtoTypes {
  private ProtoTypes() {}

  /**
   * The message {@code name} of {@code file}, or its type nested under {@code name} along {@code
   * nested}; e.g. {@code message(ClusterProto.getDescriptor(), "Cluster", "EdsClusterConfig")}.
   *
   * @throws IllegalArgumentException if {@code file} holds no such message
   */
  public static Descriptor message(FileDescriptor file, String name, String... nested) {
    Descriptor type = file.findMessageTypeByName(name);
    String path = name;
    for (String inner : nested) {
      type = type == null ? null : type.findNestedTypeByName(inner);
      path = path + "." + inner;
    }
    if (type == null) {
      throw new IllegalArgumentException(file.getName() + " has no message " + path);
    }
    return type;
  }

  /**
   * The type URL an {@code Any} holding that message carries, {@code type.googleapis.com/<full
   * name>}; the arguments as for {@link #message}.
   */
  public static String typeUrl(FileDescriptor file, String name, String... nested) {
    return "type.googleapis.com/" + message(file, name, nested).getFullName();
  }
}
