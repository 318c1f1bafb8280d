package io.outrigger.api.validation;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.outrigger.api.validation.SupportedFields.Rule;
import io.outrigger.api.validation.SupportedFields.Treatment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the {@link SupportedFields} rules of one message type, failing fast on a field name the
 * proto does not have and on a type registered twice (which would silently replace its rules).
 */
record TypeRules(Descriptor type, Map<String, Rule> rules) {

  /**
   * Starts the rules of the message {@code name} (or its type nested along {@code nested}) of
   * {@code file}, found by {@link ProtoTypes#message} so that its generated class is not loaded.
   */
  static TypeRules of(
      Map<String, Map<String, Rule>> table, FileDescriptor file, String name, String... nested) {
    return of(table, ProtoTypes.message(file, name, nested));
  }

  /** Starts the rules of {@code type} in {@code table}. */
  static TypeRules of(Map<String, Map<String, Rule>> table, Descriptor type) {
    if (table.containsKey(type.getFullName())) {
      throw new IllegalStateException(type.getFullName() + " is registered twice");
    }
    Map<String, Rule> rules = new LinkedHashMap<>();
    table.put(type.getFullName(), Collections.unmodifiableMap(rules));
    return new TypeRules(type, rules);
  }

  /** A field a translator reads. */
  TypeRules read(String field, String note) {
    return add(field, Treatment.TRANSLATED, note);
  }

  /** A field accepted and not read, because it does not change behaviour. */
  TypeRules ignore(String field, String note) {
    return add(field, Treatment.IGNORED, note);
  }

  private TypeRules add(String field, Treatment treatment, String note) {
    if (type.findFieldByName(field) == null) {
      throw new IllegalStateException(type.getFullName() + " has no field " + field);
    }
    rules.put(field, new Rule(field, treatment, note));
    return this;
  }
}
