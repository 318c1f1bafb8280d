package io.outrigger.controlplane.faults;

import com.github.xds.type.v3.TypedStruct;
import com.github.xds.type.v3.TypedStructProto;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.api.validation.ProtoTypes;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers the fault state to the sidecars by rewriting each node group's resources: the group's
 * rules are those of the links that start at it (the group is the node, {@code node.cluster}).
 *
 * <ul>
 *   <li>every {@code RouteConfiguration}: each virtual host gets {@code
 *       typed_per_filter_config["outrigger.filters.partition"]} = {@code FilterConfig{is_optional:
 *       true, config: TypedStruct{rules}}}, which replaces the filter's own rules; RDS carries it
 *       to connections already open, and a connection manager without the filter ignores it;
 *   <li>every listener filter that is a TypedStruct of the network partition filter: its {@code
 *       rules} are replaced, its {@code peer} kept. New connections only (as any listener update).
 * </ul>
 *
 * <p>A group with no rule is served its folder's resources untouched, so that a heal gives back
 * exactly the versions from before the fault. Pure: no I/O.
 */
public final class FaultRewriter {
  static final String TYPED_STRUCT_URL =
      ProtoTypes.typeUrl(TypedStructProto.getDescriptor(), "TypedStruct");

  private FaultRewriter() {}

  /** Every group's snapshot with {@code state}'s rules for it. */
  public static Map<String, GroupSnapshot> apply(
      Map<String, GroupSnapshot> snapshots, FaultState state) {
    Map<String, GroupSnapshot> out = new LinkedHashMap<>();
    snapshots.forEach((group, snapshot) -> out.put(group, apply(group, snapshot, state)));
    return out;
  }

  /** {@code snapshot} of {@code group} with the rules of the links from {@code group}. */
  public static GroupSnapshot apply(String group, GroupSnapshot snapshot, FaultState state) {
    List<PartitionRule> rules = state.rulesFrom(group);
    if (rules.isEmpty()) {
      return snapshot;
    }
    List<Message> resources = new ArrayList<>();
    for (ResourceType type : ResourceType.values()) {
      for (Message m : snapshot.resources(type).values()) {
        if (m instanceof RouteConfiguration route) {
          resources.add(rewrite(route, rules));
        } else if (m instanceof Listener listener) {
          resources.add(rewrite(listener, rules));
        } else {
          resources.add(m);
        }
      }
    }
    return GroupSnapshot.of(resources);
  }

  static RouteConfiguration rewrite(RouteConfiguration route, List<PartitionRule> rules) {
    Any perFilter =
        Any.pack(
            FilterConfig.newBuilder()
                .setIsOptional(true)
                .setConfig(typedStruct(PartitionFilterConfig.TYPE_URL, rulesValue(rules)))
                .build());
    RouteConfiguration.Builder b = route.toBuilder();
    for (VirtualHost.Builder host : b.getVirtualHostsBuilderList()) {
      host.putTypedPerFilterConfig(PartitionFilterConfig.FILTER_NAME, perFilter);
    }
    return b.build();
  }

  static Listener rewrite(Listener listener, List<PartitionRule> rules) {
    Listener.Builder b = listener.toBuilder();
    for (FilterChain.Builder chain : b.getFilterChainsBuilderList()) {
      for (Filter.Builder filter : chain.getFiltersBuilderList()) {
        networkFilter(filter.getTypedConfig())
            .ifPresent(
                value ->
                    filter.setTypedConfig(
                        typedStruct(
                            PartitionNetworkFilterConfig.TYPE_URL,
                            value.toBuilder()
                                .putFields("rules", rulesValue(rules).getFieldsOrThrow("rules"))
                                .build())));
      }
    }
    return b.build();
  }

  /** The value of a network partition filter's TypedStruct; empty for any other filter. */
  private static java.util.Optional<Struct> networkFilter(Any config) {
    if (!config.getTypeUrl().equals(TYPED_STRUCT_URL)) {
      return java.util.Optional.empty();
    }
    try {
      TypedStruct s = config.unpack(TypedStruct.class);
      return s.getTypeUrl().equals(PartitionNetworkFilterConfig.TYPE_URL)
          ? java.util.Optional.of(s.getValue())
          : java.util.Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      return java.util.Optional.empty(); // validated before: cannot happen
    }
  }

  private static Any typedStruct(String typeUrl, Struct value) {
    return Any.pack(TypedStruct.newBuilder().setTypeUrl(typeUrl).setValue(value).build());
  }

  /** {@code {rules: [{peer, action, delay?, fraction?}]}} as the filters' translator reads it. */
  static Struct rulesValue(List<PartitionRule> rules) {
    ListValue.Builder list = ListValue.newBuilder();
    for (PartitionRule r : rules) {
      Struct.Builder rule =
          Struct.newBuilder()
              .putFields("peer", string(r.peer()))
              .putFields("action", string(r.action().configName()));
      if (r.action() == PartitionRule.Action.DELAY) {
        rule.putFields("delay", string(PartitionRule.formatDelay(r.delay())));
      }
      if (r.action() == PartitionRule.Action.LOSE) {
        rule.putFields("fraction", Value.newBuilder().setNumberValue(r.fraction()).build());
      }
      list.addValues(Value.newBuilder().setStructValue(rule));
    }
    return Struct.newBuilder()
        .putFields("rules", Value.newBuilder().setListValue(list).build())
        .build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
