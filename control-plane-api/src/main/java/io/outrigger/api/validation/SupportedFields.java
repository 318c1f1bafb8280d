package io.outrigger.api.validation;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.Descriptor;
import io.envoyproxy.envoy.config.bootstrap.v3.BootstrapProto;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakerProto;
import io.envoyproxy.envoy.config.cluster.v3.ClusterProto;
import io.envoyproxy.envoy.config.core.v3.AddressProto;
import io.envoyproxy.envoy.config.core.v3.BaseProto;
import io.envoyproxy.envoy.config.core.v3.ConfigSourceProto;
import io.envoyproxy.envoy.config.core.v3.GrpcServiceProto;
import io.envoyproxy.envoy.config.endpoint.v3.EndpointComponentsProto;
import io.envoyproxy.envoy.config.endpoint.v3.EndpointProto;
import io.envoyproxy.envoy.config.listener.v3.ListenerComponentsProto;
import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimitProto;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxyProto;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The supported subset of Envoy's v3 API: per message type, the fields Outrigger accepts.
 *
 * <p>A set field that is not listed here is refused by {@link SupportedFieldsCheck}, so that a
 * config never silently means less than it says. A message type that is not listed accepts no field
 * at all. {@code docs/configuration.md} mirrors this table.
 */
public final class SupportedFields {

  /** What Outrigger does with a supported field. */
  public enum Treatment {
    /** Read by a translator; sub-messages are checked against this table in turn. */
    TRANSLATED,
    /** Accepted and not read: it does not change behaviour. Sub-messages are not checked. */
    IGNORED
  }

  /**
   * One supported field.
   *
   * @param field the proto field name
   * @param treatment whether it is read or accepted and ignored
   * @param note what Outrigger does with it, for the docs
   */
  public record Rule(String field, Treatment treatment, String note) {
    public Rule {
      requireNonNull(field, "field");
      requireNonNull(treatment, "treatment");
      requireNonNull(note, "note");
    }
  }

  private static final Map<String, Map<String, Rule>> TABLE = build();

  private SupportedFields() {}

  /** The rule for {@code field} of {@code type}; empty when the field is not supported. */
  public static Optional<Rule> rule(Descriptor type, String field) {
    return Optional.ofNullable(rules(type).get(field));
  }

  /** Every supported field of {@code type}, in table order; empty when none is. */
  public static Map<String, Rule> rules(Descriptor type) {
    return TABLE.getOrDefault(type.getFullName(), Map.of());
  }

  /** The full names of the message types that have supported fields, in table order. */
  public static Iterable<String> messageTypes() {
    return TABLE.keySet();
  }

  private static Map<String, Map<String, Rule>> build() {
    Map<String, Map<String, Rule>> t = new LinkedHashMap<>();
    TypeRules.of(t, BootstrapProto.getDescriptor(), "Bootstrap")
        .read("node", "who this sidecar is; see Node")
        .read("admin", "the admin server; absent means none")
        .read("static_resources", "listeners, clusters and secrets")
        .read("dynamic_resources", "listeners and clusters over ADS; see DynamicResources")
        .read("overload_manager", "fixed_heap and global_downstream_max_connections; see docs")
        .read("stats_config", "stats_tags, use_all_default_tags, stats_matcher; see metrics.md");
    OverloadSupportedFields.register(t);
    StatsSupportedFields.register(t);
    TypeRules.of(t, BaseProto.getDescriptor(), "Node")
        .read("id", "default empty")
        .read("cluster", "default empty")
        .ignore("metadata", "accepted, not used yet")
        .ignore("locality", "accepted, not used yet")
        .ignore("user_agent_name", "accepted, not used");
    TypeRules.of(t, BootstrapProto.getDescriptor(), "Admin")
        .read("address", "socket_address only; an IP literal")
        .read("access_log_path", "only \"/dev/null\"; admin access logging does not exist yet");
    TypeRules.of(t, BootstrapProto.getDescriptor(), "Bootstrap", "StaticResources")
        .read("listeners", "names unique")
        .read("clusters", "names unique")
        .read("secrets", "names unique; TLS contexts name them with sds_config absent");
    TypeRules.of(t, AddressProto.getDescriptor(), "Address")
        .read("socket_address", "the only address kind supported");
    TypeRules.of(t, AddressProto.getDescriptor(), "SocketAddress")
        .read("address", "an IP literal; a host name only in STRICT_DNS/LOGICAL_DNS endpoints")
        .read("port_value", "0..65535; 0 (listeners, admin) asks the kernel for a free port")
        .read("protocol", "TCP only (the default)")
        .ignore("ipv4_compat", "accepted; IPv6 sockets keep the operating system's default");
    ListenerSupportedFields.register(t);
    TypeRules.of(t, ListenerComponentsProto.getDescriptor(), "Filter")
        .read("name", "free; the filter is recognised by its typed_config type")
        .read(
            "typed_config",
            "TcpProxy, HttpConnectionManager, envoy.filters.network.rbac,"
                + " envoy.filters.network.connection_limit or the partition TypedStruct");
    TypeRules.of(t, ConnectionLimitProto.getDescriptor(), "ConnectionLimit")
        .read("stat_prefix", "required")
        .read("max_connections", "required; at least 1")
        .read("delay", "default 0s: an over-limit connection is closed at once");
    TypeRules.of(t, TcpProxyProto.getDescriptor(), "TcpProxy")
        .read("stat_prefix", "required")
        .read("cluster", "required; must name a static cluster")
        .read("idle_timeout", "default 1h; 0s disables it")
        .read("max_connect_attempts", "default 1; at least 1")
        .read("access_log", "file, stdout or stderr; logged when the downstream connection closes");
    addDynamicResourceTypes(t);
    addClusterTypes(t);
    ResilienceSupportedFields.register(t);
    HttpSupportedFields.register(t);
    AccessLogSupportedFields.register(t);
    TlsSupportedFields.register(t);
    TracingSupportedFields.register(t);
    RbacSupportedFields.register(t);
    return Collections.unmodifiableMap(t);
  }

  private static void addDynamicResourceTypes(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, BootstrapProto.getDescriptor(), "Bootstrap", "DynamicResources")
        .read("ads_config", "required: the aggregated stream; see ApiConfigSource")
        .read("lds_config", "{ads: {}}; absent means no listener discovery")
        .read("cds_config", "{ads: {}}; absent means no cluster discovery");
    TypeRules.of(t, ConfigSourceProto.getDescriptor(), "ApiConfigSource")
        .read("api_type", "GRPC only (state of the world)")
        .read("transport_api_version", "V3 (AUTO, the default, means V3)")
        .read("grpc_services", "exactly one; envoy_grpc or google_grpc");
    TypeRules.of(t, GrpcServiceProto.getDescriptor(), "GrpcService")
        .read("envoy_grpc", "cluster_name: a static cluster; its first endpoint is dialled")
        .read("google_grpc", "target_uri and stat_prefix")
        .read(
            "initial_metadata",
            "gRPC metadata sent with every call (key lower case, value printable ASCII); e.g."
                + " authorization: Bearer TOKEN for the control plane");
    TypeRules.of(t, GrpcServiceProto.getDescriptor(), "GrpcService", "EnvoyGrpc")
        .read("cluster_name", "required; a static cluster with at least one endpoint");
    TypeRules.of(t, GrpcServiceProto.getDescriptor(), "GrpcService", "GoogleGrpc")
        .read(
            "target_uri",
            "required; a gRPC target, host:port or dns:///host:port; plaintext (use"
                + " envoy_grpc and a cluster with an UpstreamTlsContext for TLS)")
        .read("stat_prefix", "required, as in Envoy");
  }

  private static void addClusterTypes(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster")
        .read("name", "required, unique")
        .read("type", "STATIC (default), STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST; EDS over CDS")
        .read("connect_timeout", "default 5s; > 0")
        .read(
            "lb_policy",
            "ROUND_ROBIN (the default), LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV; CLUSTER_PROVIDED"
                + " with ORIGINAL_DST")
        .read("cleanup_interval", "ORIGINAL_DST only; default 5s: unused hosts are removed")
        .read("original_dst_lb_config", "ORIGINAL_DST only; use_http_header, http_header_name")
        .read("least_request_lb_config", "only with lb_policy LEAST_REQUEST")
        .read("ring_hash_lb_config", "only with lb_policy RING_HASH")
        .read("maglev_lb_config", "only with lb_policy MAGLEV")
        .read("load_assignment", "the cluster's endpoints")
        .read("dns_lookup_family", "default AUTO")
        .read("dns_refresh_rate", "default 5s; >= 1ms")
        .read("per_connection_buffer_limit_bytes", "default 1048576 (1 MiB)")
        .read(
            "typed_extension_protocol_options",
            "only envoy.extensions.upstreams.http.v3.HttpProtocolOptions; checked by its"
                + " translator")
        .read("circuit_breakers", "resource limits; DEFAULT priority only")
        .read("eds_cluster_config", "type EDS only, in a CDS resource; eds_config: {ads: {}}")
        .read("outlier_detection", "ejects hosts that answer badly; see OutlierDetection")
        .read("health_checks", "at most one; http_health_check or tcp_health_check")
        .read("common_lb_config", "healthy_panic_threshold only")
        .read("transport_socket", "envoy.transport_sockets.tls with an UpstreamTlsContext")
        .ignore("metadata", "accepted, not used");
    TypeRules.of(t, CircuitBreakerProto.getDescriptor(), "CircuitBreakers")
        .read("thresholds", "one, at priority DEFAULT");
    TypeRules.of(t, CircuitBreakerProto.getDescriptor(), "CircuitBreakers", "Thresholds")
        .read("priority", "DEFAULT only (routes have no priority)")
        .read("max_connections", "default 1024")
        .read("max_pending_requests", "default 1024")
        .read("max_requests", "default 1024")
        .read("max_retries", "default 3; the retry_budget replaces it")
        .read("retry_budget", "retries as a share of active requests")
        .read("track_remaining", "default false: publish the remaining_* gauges");
    TypeRules.of(
            t, CircuitBreakerProto.getDescriptor(), "CircuitBreakers", "Thresholds", "RetryBudget")
        .read("budget_percent", "default 20.0")
        .read("min_retry_concurrency", "default 3");
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster", "EdsClusterConfig")
        .read("eds_config", "required: {ads: {}}")
        .read("service_name", "the ClusterLoadAssignment's name; default the cluster's name");
    TypeRules.of(t, ConfigSourceProto.getDescriptor(), "ConfigSource")
        .read("ads", "the only config source: the aggregated stream of the discovery client")
        .read("resource_api_version", "V3 (AUTO, the default, means V3)")
        .read(
            "initial_fetch_timeout",
            "dynamic_resources.lds_config and cds_config only; default 15s; 0s waits forever");
    TypeRules.of(
            t,
            ProtoTypes.message(ClusterProto.getDescriptor(), "Cluster")
                .findFieldByName("typed_extension_protocol_options")
                .getMessageType())
        .read("key", "envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .read("value", "an HttpProtocolOptions; checked by its translator");
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster", "LeastRequestLbConfig")
        .read("choice_count", "default 2; >= 2")
        .read("active_request_bias", "default 1.0; default_value >= 0");
    TypeRules.of(t, BaseProto.getDescriptor(), "RuntimeDouble")
        .read("default_value", "the value used: Outrigger has no runtime layer")
        .read("runtime_key", "required, as in Envoy; no runtime overrides default_value");
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster", "RingHashLbConfig")
        .read("minimum_ring_size", "default 1024; 1..8388608")
        .read("maximum_ring_size", "default 8388608; minimum_ring_size..8388608")
        .read("hash_function", "XX_HASH only (the default); MURMUR_HASH_2 is refused");
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster", "OriginalDstLbConfig")
        .read("use_http_header", "default false; HTTP: the header names the destination")
        .read("http_header_name", "default x-envoy-original-dst-host");
    TypeRules.of(t, ClusterProto.getDescriptor(), "Cluster", "MaglevLbConfig")
        .read("table_size", "default 65537; a prime <= 5000011");
    TypeRules.of(t, EndpointProto.getDescriptor(), "ClusterLoadAssignment")
        .read(
            "cluster_name",
            "required in an EDS resource (its name); ignored in a cluster's load_assignment")
        .read("endpoints", "localities; all at priority 0");
    TypeRules.of(t, EndpointComponentsProto.getDescriptor(), "LocalityLbEndpoints")
        .read("lb_endpoints", "the hosts")
        .ignore("locality", "accepted, not used yet")
        .ignore("metadata", "accepted, not used");
    TypeRules.of(t, EndpointComponentsProto.getDescriptor(), "LbEndpoint")
        .read("endpoint", "required")
        .read("load_balancing_weight", "default 1; at least 1")
        .ignore("metadata", "accepted, not used");
    TypeRules.of(t, EndpointComponentsProto.getDescriptor(), "Endpoint")
        .read("address", "required; IP literal for STATIC clusters")
        .ignore("hostname", "accepted, not used by L4 proxying");
  }
}
