package io.outrigger.api.validation;

import com.github.udpa.udpa.type.v1.TypedStructProto;
import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.http.PartitionFilterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates the partition filters' {@code typed_config}: an {@code xds.type.v3.TypedStruct} (or
 * the older {@code udpa.type.v1.TypedStruct}) whose {@code type_url} names the filter and whose
 * {@code value} is {@code {rules: [{peer, action, delay, fraction}]}} (plus {@code peer} for the
 * network filter). Unknown keys are refused by name, like unknown proto fields.
 */
final class PartitionTranslator {
  static final String XDS_TYPED_STRUCT =
      ProtoTypes.message(com.github.xds.type.v3.TypedStructProto.getDescriptor(), "TypedStruct")
          .getFullName();
  static final String UDPA_TYPED_STRUCT =
      ProtoTypes.message(TypedStructProto.getDescriptor(), "TypedStruct").getFullName();

  /** How the refusals name the TypedStruct: its full type URL. */
  static final String TYPED_STRUCT_URL = "type.googleapis.com/" + XDS_TYPED_STRUCT;

  private static final Set<String> RULE_KEYS = Set.of("peer", "action", "delay", "fraction");

  private PartitionTranslator() {}

  /** Whether {@code typeName} (an Any's type without its prefix) is a TypedStruct. */
  static boolean isTypedStruct(String typeName) {
    return typeName.equals(XDS_TYPED_STRUCT) || typeName.equals(UDPA_TYPED_STRUCT);
  }

  /** The TypedStruct's {@code type_url} and {@code value}. */
  record Unpacked(String typeUrl, Struct value) {}

  static Unpacked unpack(Any any, String path) throws ConfigException {
    String url = any.getTypeUrl();
    String typeName = url.substring(url.lastIndexOf('/') + 1);
    try {
      if (typeName.equals(XDS_TYPED_STRUCT)) {
        TypedStruct s = Anys.unpack(any, TypedStruct.class);
        return new Unpacked(s.getTypeUrl(), s.getValue());
      }
      com.github.udpa.udpa.type.v1.TypedStruct s =
          Anys.unpack(any, com.github.udpa.udpa.type.v1.TypedStruct.class);
      return new Unpacked(s.getTypeUrl(), s.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(path, "cannot decode TypedStruct: " + e.getMessage());
    }
  }

  /** An {@code http_filters[i].typed_config} or per-filter config for the HTTP filter. */
  static PartitionFilterConfig http(String name, Struct value, String path) throws ConfigException {
    String valuePath = Paths.field(path, "value");
    checkKeys(value, Set.of("peer", "rules"), valuePath);
    String peer = string(value, "peer", valuePath, false);
    List<PartitionRule> rules = rules(value, valuePath);
    try {
      return new PartitionFilterConfig(
          name.isEmpty() ? PartitionFilterConfig.FILTER_NAME : name,
          peer.isEmpty() ? Optional.empty() : Optional.of(peer),
          rules);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(valuePath, e);
    }
  }

  /** A listener filter's {@code typed_config} for the network filter. */
  static PartitionNetworkFilterConfig network(String name, Struct value, String path)
      throws ConfigException {
    String valuePath = Paths.field(path, "value");
    checkKeys(value, Set.of("peer", "rules"), valuePath);
    String peer = string(value, "peer", valuePath, true);
    List<PartitionRule> rules = rules(value, valuePath);
    try {
      return new PartitionNetworkFilterConfig(
          name.isEmpty() ? PartitionNetworkFilterConfig.FILTER_NAME : name, peer, rules);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(valuePath, e);
    }
  }

  private static List<PartitionRule> rules(Struct value, String path) throws ConfigException {
    Value v = value.getFieldsOrDefault("rules", null);
    List<PartitionRule> out = new ArrayList<>();
    if (v == null || v.hasNullValue()) {
      return out;
    }
    String rulesPath = Paths.field(path, "rules");
    if (!v.hasListValue()) {
      throw ConfigException.at(rulesPath, "expected a list of {peer, action, delay, fraction}");
    }
    List<Value> items = v.getListValue().getValuesList();
    for (int i = 0; i < items.size(); i++) {
      String at = Paths.item(path, "rules", i);
      if (!items.get(i).hasStructValue()) {
        throw ConfigException.at(at, "expected an object {peer, action, delay, fraction}");
      }
      out.add(rule(items.get(i).getStructValue(), at));
    }
    return out;
  }

  private static PartitionRule rule(Struct s, String path) throws ConfigException {
    checkKeys(s, RULE_KEYS, path);
    String peer = string(s, "peer", path, true);
    PartitionRule.Action action;
    try {
      action = PartitionRule.Action.parse(string(s, "action", path, true));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
    Duration delay = Duration.ZERO;
    if (s.containsFields("delay")) {
      delay = duration(string(s, "delay", path, true), Paths.field(path, "delay"));
    } else if (action == PartitionRule.Action.DELAY) {
      throw ConfigException.at(Paths.field(path, "delay"), "required for action delay");
    }
    double fraction = 1.0;
    if (s.containsFields("fraction")) {
      Value f = s.getFieldsOrThrow("fraction");
      if (!f.hasNumberValue()) {
        throw ConfigException.at(Paths.field(path, "fraction"), "expected a number in (0, 1]");
      }
      fraction = f.getNumberValue();
    }
    try {
      return new PartitionRule(peer, action, delay, fraction);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  static Duration duration(String text, String path) throws ConfigException {
    try {
      return PartitionRule.parseDelay(text);
    } catch (IllegalArgumentException e) {
      throw ConfigException.at(path, e.getMessage().substring("delay: ".length()));
    }
  }

  private static String string(Struct s, String key, String path, boolean required)
      throws ConfigException {
    Value v = s.getFieldsOrDefault(key, null);
    String at = Paths.field(path, key);
    if (v == null) {
      if (required) {
        throw ConfigException.at(at, "required");
      }
      return "";
    }
    if (!v.hasStringValue()) {
      throw ConfigException.at(at, "expected a string");
    }
    return v.getStringValue();
  }

  private static void checkKeys(Struct s, Set<String> allowed, String path) throws ConfigException {
    for (Map.Entry<String, Value> e : new java.util.TreeMap<>(s.getFieldsMap()).entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw ConfigException.at(
            Paths.field(path, e.getKey()),
            "unknown field (expected: one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }
}
