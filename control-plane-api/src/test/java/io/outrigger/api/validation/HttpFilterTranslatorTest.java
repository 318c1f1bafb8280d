package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.TokenBucketConfig;
import io.outrigger.api.model.http.VirtualHost;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The fault and local rate limit filters, and typed_per_filter_config, through the HCM. */
class HttpFilterTranslatorTest {
  private static final String PATH = "hcm";
  private static final String FIRST = "hcm.http_filters[0].typed_config";
  private static final String ROUTE0 = "hcm.route_config.virtual_hosts[0].routes[0]";

  private static HttpFilter filter(String name, Message config) {
    return HttpFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }

  private static HttpConnectionManager.Builder chain(Message... filters) {
    HttpConnectionManager.Builder hcm =
        HttpProtos.hcm(HttpProtos.route("/", "svc")).clearHttpFilters();
    for (Message f : filters) {
      String name =
          f instanceof HTTPFault
              ? "envoy.filters.http.fault"
              : "envoy.filters.http.local_ratelimit";
      hcm.addHttpFilters(filter(name, f));
    }
    return hcm.addHttpFilters(HttpProtos.router());
  }

  private static HttpConnectionManagerConfig translate(HttpConnectionManager.Builder hcm)
      throws ConfigException {
    return HttpConnectionManagerTranslator.translate("", hcm.build(), PATH);
  }

  private static void assertRefused(HttpConnectionManager.Builder hcm, String message) {
    assertThatThrownBy(() -> translate(hcm))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  private static FractionalPercent percent(int n, DenominatorType d) {
    return FractionalPercent.newBuilder().setNumerator(n).setDenominator(d).build();
  }

  private static TokenBucket bucket(int max, int perFill, long millis) {
    TokenBucket.Builder b =
        TokenBucket.newBuilder()
            .setMaxTokens(max)
            .setFillInterval(
                Duration.newBuilder()
                    .setNanos((int) (millis % 1000) * 1_000_000)
                    .setSeconds(millis / 1000));
    if (perFill > 0) {
      b.setTokensPerFill(UInt32Value.of(perFill));
    }
    return b.build();
  }

  private static RuntimeFractionalPercent always() {
    return RuntimeFractionalPercent.newBuilder()
        .setDefaultValue(percent(100, DenominatorType.HUNDRED))
        .setRuntimeKey("ignored")
        .build();
  }

  @Test
  void faultFillsEnvoyDefaults() throws Exception {
    HTTPFault proto =
        HTTPFault.newBuilder()
            .setDelay(
                FaultDelay.newBuilder().setFixedDelay(Duration.newBuilder().setNanos(250_000_000)))
            .build();

    FaultFilterConfig fault = (FaultFilterConfig) translate(chain(proto)).httpFilters().get(0);

    assertThat(fault.name()).isEqualTo("envoy.filters.http.fault");
    assertThat(fault.delay().orElseThrow().fixedDelay()).contains(java.time.Duration.ofMillis(250));
    assertThat(fault.delay().orElseThrow().percentage())
        .as("an unset percentage is Envoy's zero value: never")
        .isEqualTo(io.outrigger.api.model.http.FractionalPercent.ZERO);
    assertThat(fault.abort()).isEmpty();
    assertThat(fault.upstreamCluster()).isEmpty();
    assertThat(fault.downstreamNodes()).isEmpty();
    assertThat(fault.headers()).isEmpty();
    assertThat(fault.maxActiveFaults()).isEmpty();
  }

  @Test
  void faultReadsEverySupportedField() throws Exception {
    HTTPFault proto =
        HTTPFault.newBuilder()
            .setDelay(
                FaultDelay.newBuilder()
                    .setHeaderDelay(FaultDelay.HeaderDelay.getDefaultInstance())
                    .setPercentage(percent(100, DenominatorType.HUNDRED)))
            .setAbort(
                FaultAbort.newBuilder()
                    .setHttpStatus(503)
                    .setPercentage(percent(25, DenominatorType.TEN_THOUSAND)))
            .setUpstreamCluster("svc")
            .addDownstreamNodes("node-a")
            .addHeaders(HeaderMatcher.newBuilder().setName("x-chaos").setExactMatch("on"))
            .setMaxActiveFaults(UInt32Value.of(3))
            .setAbortPercentRuntime("fault.http.abort.abort_percent")
            .build();

    FaultFilterConfig fault = (FaultFilterConfig) translate(chain(proto)).httpFilters().get(0);

    assertThat(fault.delay().orElseThrow().headerControlled()).isTrue();
    assertThat(fault.abort().orElseThrow())
        .isEqualTo(
            io.outrigger.api.model.http.FaultAbort.http(
                503,
                new io.outrigger.api.model.http.FractionalPercent(
                    25, io.outrigger.api.model.http.FractionalPercent.Denominator.TEN_THOUSAND)));
    assertThat(fault.upstreamCluster()).isEqualTo("svc");
    assertThat(fault.downstreamNodes()).containsExactly("node-a");
    assertThat(fault.headers()).hasSize(1);
    assertThat(fault.maxActiveFaults()).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void faultReadsGrpcAndHeaderAborts() throws Exception {
    HTTPFault grpc =
        HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setGrpcStatus(14)).build();
    HTTPFault header =
        HTTPFault.newBuilder()
            .setAbort(
                FaultAbort.newBuilder().setHeaderAbort(FaultAbort.HeaderAbort.getDefaultInstance()))
            .build();

    assertThat(
            ((FaultFilterConfig) translate(chain(grpc)).httpFilters().get(0)).abort().orElseThrow())
        .isEqualTo(
            io.outrigger.api.model.http.FaultAbort.grpc(
                14, io.outrigger.api.model.http.FractionalPercent.ZERO));
    assertThat(
            ((FaultFilterConfig) translate(chain(header)).httpFilters().get(0))
                .abort()
                .orElseThrow()
                .kind())
        .isEqualTo(io.outrigger.api.model.http.FaultAbort.Kind.HEADER);
  }

  @Test
  void faultRefusesWhatItDoesNotImplementByPath() {
    assertRefused(
        chain(
            HTTPFault.newBuilder()
                .setResponseRateLimit(FaultRateLimit.getDefaultInstance())
                .build()),
        FIRST
            + ".response_rate_limit: field not supported by Outrigger (see docs/configuration.md)");
    assertRefused(
        chain(
            HTTPFault.newBuilder()
                .setFilterMetadata(
                    com.google.protobuf.Struct.getDefaultInstance().toBuilder()
                        .putFields(
                            "k", com.google.protobuf.Value.newBuilder().setBoolValue(true).build()))
                .build()),
        FIRST + ".filter_metadata: field not supported by Outrigger (see docs/configuration.md)");
    assertRefused(
        chain(HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(600)).build()),
        FIRST + ".abort.http_status: 600 (expected: 200..599)");
    assertRefused(
        chain(
            HTTPFault.newBuilder()
                .setAbort(
                    FaultAbort.newBuilder().setPercentage(percent(1, DenominatorType.HUNDRED)))
                .build()),
        FIRST + ".abort: one of http_status, grpc_status or header_abort required");
    assertRefused(
        chain(
            HTTPFault.newBuilder()
                .setDelay(
                    FaultDelay.newBuilder().setPercentage(percent(1, DenominatorType.HUNDRED)))
                .build()),
        FIRST + ".delay: one of fixed_delay or header_delay required");
  }

  @Test
  void localRateLimitFillsEnvoyDefaultsAndIsDisabledUnlessEnabled() throws Exception {
    LocalRateLimit proto =
        LocalRateLimit.newBuilder().setStatPrefix("rl").setTokenBucket(bucket(10, 0, 1000)).build();

    LocalRateLimitConfig rl = (LocalRateLimitConfig) translate(chain(proto)).httpFilters().get(0);

    assertThat(rl.name()).isEqualTo("envoy.filters.http.local_ratelimit");
    assertThat(rl.status()).isEqualTo(429);
    assertThat(rl.tokenBucket())
        .contains(new TokenBucketConfig(10, 1, java.time.Duration.ofSeconds(1)));
    assertThat(rl.filterEnabled()).isEqualTo(io.outrigger.api.model.http.FractionalPercent.ZERO);
    assertThat(rl.filterEnforced()).isEqualTo(io.outrigger.api.model.http.FractionalPercent.ZERO);
    assertThat(rl.responseHeadersToAdd().toAdd()).isEmpty();
  }

  @Test
  void localRateLimitReadsStatusEnabledEnforcedAndHeaders() throws Exception {
    LocalRateLimit proto =
        LocalRateLimit.newBuilder()
            .setStatPrefix("rl")
            .setStatus(HttpStatus.newBuilder().setCode(StatusCode.ServiceUnavailable))
            .setTokenBucket(bucket(2, 2, 50))
            .setFilterEnabled(always())
            .setFilterEnforced(always())
            .addResponseHeadersToAdd(
                HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey("x-limited").setValue("yes")))
            .build();
    LocalRateLimit nonError =
        proto.toBuilder().setStatus(HttpStatus.newBuilder().setCode(StatusCode.OK)).build();

    LocalRateLimitConfig rl = (LocalRateLimitConfig) translate(chain(proto)).httpFilters().get(0);

    assertThat(rl.status()).isEqualTo(503);
    assertThat(rl.filterEnabled().numerator()).isEqualTo(100);
    assertThat(rl.responseHeadersToAdd().toAdd().get(0).key()).isEqualTo("x-limited");
    assertThat(((LocalRateLimitConfig) translate(chain(nonError)).httpFilters().get(0)).status())
        .as("Envoy answers 429 for a status below 400")
        .isEqualTo(429);
  }

  @Test
  void localRateLimitRefusesWhatItDoesNotImplementByPath() {
    LocalRateLimit base =
        LocalRateLimit.newBuilder().setStatPrefix("rl").setTokenBucket(bucket(1, 0, 1000)).build();
    String unsupported = ": field not supported by Outrigger (see docs/configuration.md)";
    assertRefused(
        chain(
            base.toBuilder().addDescriptors(LocalRateLimitDescriptor.getDefaultInstance()).build()),
        FIRST + ".descriptors" + unsupported);
    assertRefused(
        chain(base.toBuilder().setLocalRateLimitPerDownstreamConnection(true).build()),
        FIRST + ".local_rate_limit_per_downstream_connection" + unsupported);
    assertRefused(
        chain(base.toBuilder().setRateLimitedAsResourceExhausted(true).build()),
        FIRST + ".rate_limited_as_resource_exhausted" + unsupported);
    assertRefused(
        chain(base.toBuilder().setAlwaysConsumeDefaultTokenBucket(BoolValue.of(false)).build()),
        FIRST + ".always_consume_default_token_bucket" + unsupported);
    assertRefused(
        chain(
            base.toBuilder()
                .addRequestHeadersToAddWhenNotEnforced(HeaderValueOption.getDefaultInstance())
                .build()),
        FIRST + ".request_headers_to_add_when_not_enforced" + unsupported);
  }

  @Test
  void localRateLimitRefusesBadBucketsAndMissingStatPrefix() {
    assertRefused(
        chain(LocalRateLimit.newBuilder().setTokenBucket(bucket(1, 0, 1000)).build()),
        FIRST + ".stat_prefix: required");
    assertRefused(
        chain(
            LocalRateLimit.newBuilder()
                .setStatPrefix("rl")
                .setTokenBucket(bucket(0, 0, 1000))
                .build()),
        FIRST + ".token_bucket.max_tokens: 0 (expected: >= 1)");
    assertRefused(
        chain(
            LocalRateLimit.newBuilder()
                .setStatPrefix("rl")
                .setTokenBucket(bucket(1, 0, 10))
                .build()),
        FIRST + ".token_bucket.fill_interval: 10ms (expected: >= 50ms)");
    assertRefused(
        chain(
            LocalRateLimit.newBuilder()
                .setStatPrefix("rl")
                .setTokenBucket(TokenBucket.newBuilder().setMaxTokens(1))
                .build()),
        FIRST + ".token_bucket.fill_interval: required");
  }

  private static HttpConnectionManager.Builder withPerRoute(
      HttpConnectionManager.Builder hcm, String key, Message perRoute) {
    var rc = hcm.getRouteConfig().toBuilder();
    var host = rc.getVirtualHosts(0).toBuilder();
    host.setRoutes(
        0, host.getRoutes(0).toBuilder().putTypedPerFilterConfig(key, Any.pack(perRoute)));
    rc.setVirtualHosts(0, host);
    return hcm.setRouteConfig(rc);
  }

  @Test
  void perRouteConfigReplacesAndIsKeyedByFilterName() throws Exception {
    HTTPFault filterLevel =
        HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(503)).build();
    HTTPFault routeLevel =
        HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(500)).build();
    HttpConnectionManager.Builder hcm =
        withPerRoute(chain(filterLevel), "envoy.filters.http.fault", routeLevel);
    var hostBuilder = hcm.getRouteConfig().getVirtualHosts(0).toBuilder();
    hostBuilder.putTypedPerFilterConfig(
        "envoy.filters.http.fault",
        Any.pack(
            FilterConfig.newBuilder().setConfig(Any.pack(routeLevel)).setIsOptional(true).build()));
    hcm.setRouteConfig(hcm.getRouteConfig().toBuilder().setVirtualHosts(0, hostBuilder));

    HttpConnectionManagerConfig config = translate(hcm);

    VirtualHost host =
        ((RouteSource.InlineRoutes) config.routeSource()).routeConfig().virtualHosts().get(0);
    Route route = host.routes().get(0);
    HttpFilterConfig perRoute = route.typedPerFilterConfig().get("envoy.filters.http.fault");
    assertThat(((FaultFilterConfig) perRoute).abort().orElseThrow().httpStatus()).isEqualTo(500);
    assertThat(host.typedPerFilterConfig()).containsKey("envoy.filters.http.fault");
  }

  @Test
  void perRouteConfigRefusesUnknownNamesTypesAndDisabled() {
    HTTPFault fault =
        HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(503)).build();
    String key = ROUTE0 + ".typed_per_filter_config[\"envoy.filters.http.fault\"]";
    assertRefused(
        withPerRoute(
            HttpProtos.hcm(HttpProtos.route("/", "svc")), "envoy.filters.http.fault", fault),
        key
            + ": no http filter named \"envoy.filters.http.fault\" in http_filters (expected: one of"
            + " [envoy.filters.http.router])");
    assertRefused(
        withPerRoute(chain(fault), "envoy.filters.http.fault", Router.getDefaultInstance()),
        key
            + ": per-route config type \"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\""
            + " not supported (supported: "
            + FaultFilterConfig.TYPE_URL
            + ", "
            + LocalRateLimitConfig.TYPE_URL
            + ", type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute"
            + ", a TypedStruct of type.googleapis.com/outrigger.filters.partition.v1.Partition,"
            + " or any of them inside type.googleapis.com/envoy.config.route.v3.FilterConfig)");
    assertRefused(
        withPerRoute(
            chain(fault),
            "envoy.filters.http.fault",
            FilterConfig.newBuilder().setConfig(Any.pack(fault)).setDisabled(true).build()),
        key + ".disabled: field not supported by Outrigger (see docs/configuration.md)");
    LocalRateLimit rl =
        LocalRateLimit.newBuilder().setStatPrefix("r").setTokenBucket(bucket(1, 0, 1000)).build();
    assertRefused(
        withPerRoute(chain(fault), "envoy.filters.http.fault", rl),
        key
            + ": http filter \"envoy.filters.http.fault\" is a "
            + FaultFilterConfig.TYPE_URL
            + ", not a "
            + LocalRateLimitConfig.TYPE_URL);
  }

  @Test
  void perRouteLocalRateLimitRequiresATokenBucket() {
    LocalRateLimit filterLevel = LocalRateLimit.newBuilder().setStatPrefix("rl").build();
    assertRefused(
        withPerRoute(
            chain(filterLevel),
            "envoy.filters.http.local_ratelimit",
            LocalRateLimit.newBuilder().setStatPrefix("route").build()),
        ROUTE0
            + ".typed_per_filter_config[\"envoy.filters.http.local_ratelimit\"].token_bucket:"
            + " required in a per-route config (as in Envoy)");
  }
}
