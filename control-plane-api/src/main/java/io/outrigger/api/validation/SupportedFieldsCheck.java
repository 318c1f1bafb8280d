package io.outrigger.api.validation;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.util.List;
import java.util.Map;

/**
 * Refuses every set field that {@link SupportedFields} does not list, by its path.
 *
 * <p>Walks {@link MessageOrBuilder#getAllFields()}, so only fields that are set count: a proto3
 * scalar at its default value is not set, and an absent message is not set. {@code
 * google.protobuf.*} values (durations, wrappers, {@code Any}) are leaves here; a translator that
 * unpacks an {@code Any} checks the unpacked message itself.
 *
 * <p>The walk reads a {@link DynamicMessage} copy of the message, not the generated class: a
 * generated message answers {@code getAllFields()} through its reflection table, whose first use
 * looks up every accessor of the type and loads the builder class of every message field it has,
 * set or not. A sidecar would then hold the classes of most of Envoy's API (a {@code Cluster}
 * builder alone is 170 KB of bytecode) whatever its configuration uses.
 */
public final class SupportedFieldsCheck {
  static final String NOT_SUPPORTED =
      "field not supported by Outrigger (see docs/configuration.md)";

  private SupportedFieldsCheck() {}

  /**
   * Checks {@code message} and everything under it.
   *
   * @param path where {@code message} sits, e.g. {@code static_resources.clusters[0]}; empty for a
   *     root
   * @throws ConfigException naming the first unsupported set field
   */
  public static void check(MessageOrBuilder message, String path) throws ConfigException {
    walk(dynamic(message), path);
  }

  /**
   * The fields of {@code message} that are set, read without the generated class's reflection table
   * (see the class comment).
   */
  public static Map<FieldDescriptor, Object> setFields(MessageOrBuilder message) {
    return dynamic(message).getAllFields();
  }

  private static MessageOrBuilder dynamic(MessageOrBuilder message) {
    if (message instanceof DynamicMessage) {
      return message;
    }
    Message built = message instanceof Message.Builder b ? b.buildPartial() : (Message) message;
    try {
      return DynamicMessage.parseFrom(Anys.descriptor(built.getClass()), built.toByteString());
    } catch (InvalidProtocolBufferException e) {
      // The bytes were just written from a message of the same descriptor.
      throw new IllegalStateException(e);
    }
  }

  private static void walk(MessageOrBuilder message, String path) throws ConfigException {
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      String fieldPath = Paths.field(path, field.getName());
      SupportedFields.Rule rule =
          SupportedFields.rule(message.getDescriptorForType(), field.getName())
              .orElseThrow(() -> ConfigException.at(fieldPath, NOT_SUPPORTED));
      if (rule.treatment() == SupportedFields.Treatment.TRANSLATED && isCheckedMessage(field)) {
        checkValue(e.getValue(), field, path);
      }
    }
  }

  private static void checkValue(Object value, FieldDescriptor field, String path)
      throws ConfigException {
    if (field.isRepeated()) {
      List<?> items = (List<?>) value;
      for (int i = 0; i < items.size(); i++) {
        walk((MessageOrBuilder) items.get(i), Paths.item(path, field.getName(), i));
      }
    } else {
      walk((MessageOrBuilder) value, Paths.field(path, field.getName()));
    }
  }

  private static boolean isCheckedMessage(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !field.getMessageType().getFullName().startsWith("google.protobuf.");
  }
}
