package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.RbacNetworkFilterConfig;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RbacPerRouteConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.rbac.CidrRange;
import io.outrigger.api.model.rbac.RbacPermission;
import io.outrigger.api.model.rbac.RbacPolicy;
import io.outrigger.api.model.rbac.RbacPrincipal;
import io.outrigger.api.model.rbac.RbacRules;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The RBAC filters' configs: every supported principal and permission, and every refusal. */
class RbacTranslatorTest {
  private static final String HTTP = "hcm.http_filters[0].typed_config";
  private static final String NET = "listeners[0].filter_chains[0].filters[0].typed_config";

  private static <T extends Message.Builder> T parse(String json, T builder) throws Exception {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  private static HttpConnectionManager.Builder chain(String rbacJson) throws Exception {
    return HttpProtos.hcm(HttpProtos.route("/", "svc"))
        .clearHttpFilters()
        .addHttpFilters(
            HttpFilter.newBuilder()
                .setName(RbacFilterConfig.FILTER_NAME)
                .setTypedConfig(Any.pack(parse(rbacJson, RBAC.newBuilder()).build())))
        .addHttpFilters(HttpProtos.router());
  }

  private static RbacFilterConfig http(String json) throws Exception {
    return (RbacFilterConfig)
        HttpConnectionManagerTranslator.translate("", chain(json).build(), "hcm")
            .httpFilters()
            .get(0);
  }

  private static RbacNetworkFilterConfig network(String json) throws Exception {
    io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC proto =
        parse(json, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder())
            .build();
    Listener.Builder l = Protos.listener("in", "svc");
    l.getFilterChainsBuilder(0)
        .addFilters(
            0,
            Filter.newBuilder()
                .setName("envoy.filters.network.rbac")
                .setTypedConfig(Any.pack(proto)));
    ListenerConfig config = ListenerTranslator.translate(l.build(), "listeners[0]");
    return (RbacNetworkFilterConfig) config.filterChains().get(0).filters().get(0);
  }

  private static String rules(String action, String policyJson) {
    return "{\"rules\": {\"action\": \"" + action + "\", \"policies\": {" + policyJson + "}}}";
  }

  private static CidrRange cidr(String address, int len) throws Exception {
    return new CidrRange(InetAddress.getByName(address), len);
  }

  @Test
  void translatesEveryPrincipalKind() throws Exception {
    RbacFilterConfig config =
        http(
            rules(
                "ALLOW",
                """
                "p": {
                  "permissions": [{"any": true}],
                  "principals": [
                    {"any": true},
                    {"authenticated": {}},
                    {"authenticated": {"principal_name": {"exact": "spiffe://a/b"}}},
                    {"direct_remote_ip": {"address_prefix": "10.0.0.0", "prefix_len": 8}},
                    {"remote_ip": {"address_prefix": "2001:db8::", "prefix_len": 32}},
                    {"source_ip": {"address_prefix": "127.0.0.1", "prefix_len": 32}},
                    {"header": {"name": "x-user", "string_match": {"prefix": "adm"}}},
                    {"url_path": {"path": {"prefix": "/admin"}}},
                    {"and_ids": {"ids": [{"any": true}, {"not_id": {"any": true}}]}},
                    {"or_ids": {"ids": [{"any": true}]}}
                  ]
                }
                """));

    RbacPolicy p = config.rules().orElseThrow().policies().get("p");
    assertThat(p.permissions()).containsExactly(new RbacPermission.Any());
    assertThat(p.principals())
        .containsExactly(
            new RbacPrincipal.Any(),
            new RbacPrincipal.Authenticated(Optional.empty()),
            new RbacPrincipal.Authenticated(Optional.of(StringMatcher.exact("spiffe://a/b"))),
            new RbacPrincipal.DirectRemoteIp(cidr("10.0.0.0", 8)),
            new RbacPrincipal.RemoteIp(cidr("2001:db8::", 32)),
            new RbacPrincipal.SourceIp(cidr("127.0.0.1", 32)),
            new RbacPrincipal.Header(HeaderMatcher.of("x-user", StringMatcher.prefix("adm"))),
            new RbacPrincipal.UrlPath(StringMatcher.prefix("/admin")),
            new RbacPrincipal.And(
                List.of(new RbacPrincipal.Any(), new RbacPrincipal.Not(new RbacPrincipal.Any()))),
            new RbacPrincipal.Or(List.of(new RbacPrincipal.Any())));
    assertThat(config.name()).isEqualTo("envoy.filters.http.rbac");
    assertThat(config.rules().orElseThrow().action()).isEqualTo(RbacRules.Action.ALLOW);
    assertThat(config.shadowRules()).isEmpty();
    assertThat(config.rulesStatPrefix()).isEmpty();
  }

  @Test
  void translatesEveryPermissionKind() throws Exception {
    RbacFilterConfig config =
        http(
            rules(
                "DENY",
                """
                "p": {
                  "principals": [{"any": true}],
                  "permissions": [
                    {"header": {"name": ":method", "string_match": {"exact": "GET"}}},
                    {"url_path": {"path": {"exact": "/kv/a", "ignore_case": true}}},
                    {"destination_ip": {"address_prefix": "192.168.1.0", "prefix_len": 24}},
                    {"destination_port": 8080},
                    {"destination_port_range": {"start": 9000, "end": 9100}},
                    {"requested_server_name": {"suffix": ".local"}},
                    {"and_rules": {"rules": [{"any": true}]}},
                    {"or_rules": {"rules": [{"any": true}]}},
                    {"not_rule": {"any": true}}
                  ]
                }
                """));

    RbacRules r = config.rules().orElseThrow();
    assertThat(r.action()).isEqualTo(RbacRules.Action.DENY);
    assertThat(r.policies().get("p").permissions())
        .containsExactly(
            new RbacPermission.Header(HeaderMatcher.of(":method", StringMatcher.exact("GET"))),
            new RbacPermission.UrlPath(new StringMatcher(StringMatcher.Kind.EXACT, "/kv/a", true)),
            new RbacPermission.DestinationIp(cidr("192.168.1.0", 24)),
            new RbacPermission.DestinationPort(8080),
            new RbacPermission.DestinationPortRange(9000, 9100),
            new RbacPermission.RequestedServerName(
                new StringMatcher(StringMatcher.Kind.SUFFIX, ".local", false)),
            new RbacPermission.And(List.of(new RbacPermission.Any())),
            new RbacPermission.Or(List.of(new RbacPermission.Any())),
            new RbacPermission.Not(new RbacPermission.Any()));
  }

  @Test
  void keepsPoliciesInNameOrderAndReadsShadowRulesAndStatPrefixes() throws Exception {
    RbacFilterConfig config =
        http(
            """
            {"shadow_rules": {"action": "DENY", "policies": {
               "zeta": {"permissions": [{"any": true}], "principals": [{"any": true}]},
               "alpha": {"permissions": [{"any": true}], "principals": [{"any": true}]}}},
             "rules_stat_prefix": "enforced_",
             "shadow_rules_stat_prefix": "trial_"}
            """);

    assertThat(config.rules()).isEmpty();
    assertThat(config.shadowRules().orElseThrow().policies().keySet())
        .containsExactly("alpha", "zeta");
    assertThat(config.rulesStatPrefix()).isEqualTo("enforced_");
    assertThat(config.shadowRulesStatPrefix()).isEqualTo("trial_");
  }

  @Test
  void translatesThePerRouteConfigAndItsDisablingForm() throws Exception {
    RBACPerRoute enabled =
        parse(
                "{\"rbac\": "
                    + rules(
                        "ALLOW",
                        "\"p\": {\"permissions\": [{\"any\": true}], \"principals\":"
                            + " [{\"authenticated\": {}}]}")
                    + "}",
                RBACPerRoute.newBuilder())
            .build();
    HttpConnectionManager.Builder hcm = chain("{}");
    hcm.getRouteConfigBuilder()
        .getVirtualHostsBuilder(0)
        .putTypedPerFilterConfig(RbacFilterConfig.FILTER_NAME, Any.pack(enabled))
        .getRoutesBuilder(0)
        .putTypedPerFilterConfig(
            RbacFilterConfig.FILTER_NAME, Any.pack(RBACPerRoute.getDefaultInstance()));

    var routes =
        ((RouteSource.InlineRoutes)
                HttpConnectionManagerTranslator.translate("", hcm.build(), "hcm").routeSource())
            .routeConfig();

    var host = routes.virtualHosts().get(0);
    RbacPerRouteConfig onHost =
        (RbacPerRouteConfig) host.typedPerFilterConfig().get(RbacFilterConfig.FILTER_NAME);
    RbacPerRouteConfig onRoute =
        (RbacPerRouteConfig)
            host.routes().get(0).typedPerFilterConfig().get(RbacFilterConfig.FILTER_NAME);
    assertThat(onHost.rbac().orElseThrow().rules().orElseThrow().policies()).containsKey("p");
    assertThat(onRoute.rbac()).isEmpty();
  }

  @Test
  void translatesTheNetworkFilter() throws Exception {
    RbacNetworkFilterConfig config =
        network(
            """
            {"stat_prefix": "tcp_in", "enforcement_type": "CONTINUOUS",
             "rules": {"policies": {"frontend": {
               "permissions": [{"destination_port": 10000}],
               "principals": [{"authenticated": {"principal_name": {"exact": "spiffe://x/f"}}}]}}},
             "shadow_rules": {"action": "DENY", "policies": {}},
             "shadow_rules_stat_prefix": "s_"}
            """);

    assertThat(config.name()).isEqualTo("envoy.filters.network.rbac");
    assertThat(config.statPrefix()).isEqualTo("tcp_in");
    assertThat(config.enforcementType())
        .isEqualTo(RbacNetworkFilterConfig.EnforcementType.CONTINUOUS);
    assertThat(config.rules().orElseThrow().action()).isEqualTo(RbacRules.Action.ALLOW);
    assertThat(config.shadowRules().orElseThrow().policies()).isEmpty();
    assertThat(config.shadowRulesStatPrefix()).isEqualTo("s_");
    assertThat(network("{\"stat_prefix\": \"t\"}").enforcementType())
        .isEqualTo(RbacNetworkFilterConfig.EnforcementType.ONE_TIME_ON_FIRST_BYTE);
  }

  private static void assertHttpRefused(String json, String message) {
    assertThatThrownBy(() -> http(json)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  private static void assertNetworkRefused(String json, String message) {
    assertThatThrownBy(() -> network(json)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  private static final String NOT_SUPPORTED = ": " + SupportedFieldsCheck.NOT_SUPPORTED;

  private static String policy(String permission, String principal) {
    return rules(
        "ALLOW",
        "\"p\": {\"permissions\": [" + permission + "], \"principals\": [" + principal + "]}");
  }

  @Test
  void refusesEveryUnsupportedFieldByItsPath() {
    String any = "{\"any\": true}";
    String at = HTTP + ".rules.policies[\"p\"]";
    assertHttpRefused(
        policy("{\"metadata\": {\"filter\": \"f\"}}", any),
        at + ".permissions[0].metadata" + NOT_SUPPORTED);
    assertHttpRefused(
        policy("{\"uri_template\": {}}", any), at + ".permissions[0].uri_template" + NOT_SUPPORTED);
    assertHttpRefused(
        policy("{\"matcher\": {}}", any), at + ".permissions[0].matcher" + NOT_SUPPORTED);
    assertHttpRefused(
        policy(any, "{\"filter_state\": {\"key\": \"k\"}}"),
        at + ".principals[0].filter_state" + NOT_SUPPORTED);
    assertHttpRefused(
        policy(any, "{\"metadata\": {\"filter\": \"f\"}}"),
        at + ".principals[0].metadata" + NOT_SUPPORTED);
    assertHttpRefused(
        policy(any, "{\"or_ids\": {\"ids\": [{\"metadata\": {\"filter\": \"f\"}}]}}"),
        at + ".principals[0].or_ids.ids[0].metadata" + NOT_SUPPORTED);
    assertHttpRefused(
        rules(
            "ALLOW",
            "\"p\": {\"permissions\": [{\"any\": true}], \"principals\": [{\"any\": true}],"
                + " \"condition\": {}}"),
        at + ".condition" + NOT_SUPPORTED);
    assertHttpRefused(
        rules(
            "ALLOW",
            "\"p\": {\"permissions\": [{\"any\": true}], \"principals\": [{\"any\": true}],"
                + " \"checked_condition\": {}}"),
        at + ".checked_condition" + NOT_SUPPORTED);
    assertHttpRefused(
        "{\"rules\": {\"audit_logging_options\": {\"audit_condition\": \"ON_DENY\"}}}",
        HTTP + ".rules.audit_logging_options" + NOT_SUPPORTED);
    assertHttpRefused("{\"matcher\": {}}", HTTP + ".matcher" + NOT_SUPPORTED);
    assertHttpRefused("{\"shadow_matcher\": {}}", HTTP + ".shadow_matcher" + NOT_SUPPORTED);
    assertHttpRefused(
        "{\"track_per_rule_stats\": true}", HTTP + ".track_per_rule_stats" + NOT_SUPPORTED);
  }

  @Test
  void refusesLogActionEmptyListsAndBadValues() {
    String any = "{\"any\": true}";
    String at = HTTP + ".rules.policies[\"p\"]";
    assertHttpRefused(
        "{\"rules\": {\"action\": \"LOG\"}}",
        HTTP + ".rules.action: LOG not supported (expected: ALLOW or DENY)");
    assertHttpRefused(
        rules("ALLOW", "\"p\": {\"permissions\": [{\"any\": true}]}"),
        at + ".principals: empty (expected: at least one)");
    assertHttpRefused(
        policy(any, "{\"and_ids\": {}}"),
        at + ".principals[0].and_ids.ids: empty (expected: at least one)");
    assertHttpRefused(
        policy(any, "{\"remote_ip\": {\"address_prefix\": \"10.0.0.1\", \"prefix_len\": 33}}"),
        at + ".principals[0].remote_ip.prefix_len: 33 (expected: 0..32 for /10.0.0.1)");
    assertHttpRefused(
        policy(any, "{\"direct_remote_ip\": {\"address_prefix\": \"example.com\"}}"),
        at
            + ".principals[0].direct_remote_ip.address_prefix: \"example.com\" (expected: an IPv4"
            + " or IPv6 address)");
    assertHttpRefused(
        policy("{\"destination_port_range\": {\"start\": 10, \"end\": 5}}", any),
        at
            + ".permissions[0].destination_port_range: [10, 5) (expected: 0 <= start <= end <= 65536)");
    assertHttpRefused(
        policy("{}", any),
        at
            + ".permissions[0]: one of any, header, url_path,"
            + " destination_ip, destination_port, destination_port_range, requested_server_name,"
            + " and_rules, or_rules or not_rule required");
  }

  @Test
  void networkFilterRefusesRequestMatchersAndRequiresStatPrefix() {
    String any = "{\"any\": true}";
    String at = NET + ".rules.policies[\"p\"]";
    assertNetworkRefused(
        "{\"stat_prefix\": \"t\", "
            + policy("{\"header\": {\"name\": \":method\", \"exact_match\": \"GET\"}}", any)
                .substring(1),
        at + ".permissions[0].header: " + RbacTranslator.NEEDS_REQUEST);
    assertNetworkRefused(
        "{\"stat_prefix\": \"t\", "
            + policy(any, "{\"not_id\": {\"url_path\": {\"path\": {\"exact\": \"/\"}}}}")
                .substring(1),
        at + ".principals[0].not_id.url_path: " + RbacTranslator.NEEDS_REQUEST);
    assertNetworkRefused("{}", NET + ".stat_prefix: required");
    assertNetworkRefused(
        "{\"stat_prefix\": \"t\", \"delay_deny\": \"1s\"}", NET + ".delay_deny" + NOT_SUPPORTED);
    assertNetworkRefused(
        "{\"stat_prefix\": \"t\", \"matcher\": {}}", NET + ".matcher" + NOT_SUPPORTED);
  }

  @Test
  void perRouteEntryMustBelongToAnRbacFilter() throws Exception {
    HttpConnectionManager.Builder hcm = HttpProtos.hcm(HttpProtos.route("/", "svc"));
    hcm.getRouteConfigBuilder()
        .getVirtualHostsBuilder(0)
        .putTypedPerFilterConfig("authz", Any.pack(RBACPerRoute.getDefaultInstance()));

    assertThatThrownBy(() -> HttpConnectionManagerTranslator.translate("", hcm.build(), "hcm"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no http filter named \"authz\"");
  }
}
