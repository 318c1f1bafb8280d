package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/**
 * {@link Any#is} and {@link Any#unpack} without the generated class's reflection table.
 *
 * <p>Protobuf's own versions compare the type URL with {@code getDescriptorForType()}, and on a
 * generated message that method first builds the type's reflection table: it looks up every
 * accessor and loads the builder class of every message field the type has, set or not. For the
 * large Envoy types ({@code HttpConnectionManager}, {@code Cluster}) that is dozens of classes and
 * megabytes of bytecode that a sidecar would keep for its lifetime although its configuration never
 * uses them. Here the name comes from the class's static {@code getDescriptor()}, and the bytes are
 * parsed by the generated parser, which touches only the fields that are present.
 *
 * <p>Naming the class loads it, so these are for the type a caller expects to hold. Code that asks
 * which of several types an {@code Any} holds compares its type name with descriptors found by
 * {@link ProtoTypes}, so that the candidates it does not hold are never loaded.
 */
public final class Anys {
  private static final ClassValue<Descriptor> DESCRIPTORS =
      new ClassValue<>() {
        @Override
        protected Descriptor computeValue(Class<?> type) {
          try {
            return (Descriptor) type.getMethod("getDescriptor").invoke(null);
          } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("not a generated message class: " + type, e);
          }
        }
      };

  private Anys() {}

  /** The descriptor of a generated message class, read from its static {@code getDescriptor()}. */
  public static Descriptor descriptor(Class<? extends Message> type) {
    return DESCRIPTORS.get(type);
  }

  /**
   * Whether {@code any} holds a {@code type}, by the full name after the last {@code /} of its type
   * URL; a URL without one names no type, as for {@link Any#is}.
   */
  public static boolean is(Any any, Class<? extends Message> type) {
    String url = any.getTypeUrl();
    int slash = url.lastIndexOf('/');
    return slash >= 0 && url.substring(slash + 1).equals(descriptor(type).getFullName());
  }

  /**
   * The {@code type} that {@code any} holds.
   *
   * @throws InvalidProtocolBufferException if {@code any} holds another type (the message is {@link
   *     Any#unpack}'s), or its bytes do not parse as {@code type}
   */
  public static <T extends Message> T unpack(Any any, Class<T> type)
      throws InvalidProtocolBufferException {
    if (!is(any, type)) {
      throw new InvalidProtocolBufferException(
          "Type of the Any message does not match the given class.");
    }
    @SuppressWarnings("unchecked")
    T message = (T) Internal.getDefaultInstance(type).getParserForType().parseFrom(any.getValue());
    return message;
  }
}
