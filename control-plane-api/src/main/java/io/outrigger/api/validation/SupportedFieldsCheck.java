package io.outrigger.api.validation;

import com.google.protobuf.Descriptors.FieldDescriptor;
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
        check((MessageOrBuilder) items.get(i), Paths.item(path, field.getName(), i));
      }
    } else {
      check((MessageOrBuilder) value, Paths.field(path, field.getName()));
    }
  }

  private static boolean isCheckedMessage(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !field.getMessageType().getFullName().startsWith("google.protobuf.");
  }
}
