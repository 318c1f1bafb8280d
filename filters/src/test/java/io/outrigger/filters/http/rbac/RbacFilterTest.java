package io.outrigger.filters.http.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RbacPerRouteConfig;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.rbac.RbacPermission;
import io.outrigger.api.model.rbac.RbacPolicy;
import io.outrigger.api.model.rbac.RbacPrincipal;
import io.outrigger.api.model.rbac.RbacRules;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.stats.FilterMeters;
import io.outrigger.filters.testkit.FakeCallbacks;
import io.outrigger.filters.testkit.ManualClock;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The HTTP RBAC filter: enforcement, shadow rules, per-route configs and statistics. */
class RbacFilterTest {
  private static final String FRONTEND = "spiffe://outrigger.local/ns/default/sa/frontend";
  private static final PeerCertificate FRONTEND_CERT =
      new PeerCertificate(List.of(FRONTEND), List.of(), "O=outrigger.local");
  private static final PeerCertificate OTHER_CERT =
      new PeerCertificate(
          List.of("spiffe://outrigger.local/ns/default/sa/other"), List.of(), "O=outrigger.local");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** ALLOW: the frontend may GET /kv/. */
  private static RbacRules frontendReadsKv() {
    return new RbacRules(
        RbacRules.Action.ALLOW,
        Map.of(
            "frontend-reads",
            new RbacPolicy(
                List.of(
                    new RbacPermission.And(
                        List.of(
                            new RbacPermission.Header(
                                HeaderMatcher.of(":method", StringMatcher.exact("GET"))),
                            new RbacPermission.UrlPath(StringMatcher.prefix("/kv/"))))),
                List.of(
                    new RbacPrincipal.Authenticated(Optional.of(StringMatcher.exact(FRONTEND)))))));
  }

  private static RbacRules denyEverything() {
    return new RbacRules(
        RbacRules.Action.DENY,
        Map.of(
            "nobody",
            new RbacPolicy(List.of(new RbacPermission.Any()), List.of(new RbacPrincipal.Any()))));
  }

  private RbacFilterFactory factory(Optional<RbacRules> rules, Optional<RbacRules> shadow) {
    return new RbacFilterFactory(
        new RbacFilterConfig(RbacFilterConfig.FILTER_NAME, rules, shadow, "", "trial_"),
        new FilterContext(
            "ingress", new FilterMeters(registry), new SplittableRandom(1), new ManualClock()));
  }

  private static FakeCallbacks callbacks(PeerCertificate peer) {
    FakeCallbacks cb = new FakeCallbacks(FakeCallbacks.loop());
    cb.peerCertificate = peer;
    cb.remoteAddress = new InetSocketAddress("127.0.0.1", 40000);
    return cb;
  }

  private static HttpRequest request(HttpMethod method, String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  private double count(String name, String rulesStatPrefix) {
    var c =
        registry
            .find(name)
            .tags("filter", "http", "stat_prefix", "ingress", "rules_stat_prefix", rulesStatPrefix)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void allowedPrincipalPassesAndIsCounted() {
    FakeCallbacks cb = callbacks(FRONTEND_CERT);

    FilterStatus s =
        factory(Optional.of(frontendReadsKv()), Optional.empty())
            .create()
            .onRequestHeaders(request(HttpMethod.GET, "/kv/a?consistent=1"), true, cb);

    assertThat(s).isEqualTo(FilterStatus.CONTINUE);
    assertThat(cb.reply).isNull();
    assertThat(count("rbac_allowed", "")).isEqualTo(1);
    assertThat(count("rbac_denied", "")).isZero();
  }

  @Test
  void deniedRequestGets403WithTheMatchedPolicyInItsDetails() {
    RbacFilterFactory f = factory(Optional.of(frontendReadsKv()), Optional.empty());
    FakeCallbacks other = callbacks(OTHER_CERT);
    FakeCallbacks write = callbacks(FRONTEND_CERT);
    FakeCallbacks anonymous = callbacks(null);
    FakeCallbacks denyAll = callbacks(FRONTEND_CERT);

    assertThat(f.create().onRequestHeaders(request(HttpMethod.GET, "/kv/a"), true, other))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    f.create().onRequestHeaders(request(HttpMethod.PUT, "/kv/a"), true, write);
    f.create().onRequestHeaders(request(HttpMethod.GET, "/kv/a"), true, anonymous);
    factory(Optional.of(denyEverything()), Optional.empty())
        .create()
        .onRequestHeaders(request(HttpMethod.GET, "/kv/a"), true, denyAll);

    assertThat(other.reply)
        .isEqualTo(
            new FakeCallbacks.Reply(
                403,
                "RBAC: access denied",
                "rbac_access_denied_matched_policy[none]",
                null,
                java.util.OptionalInt.empty(),
                other.reply.headers()));
    assertThat(write.reply.status()).isEqualTo(403);
    assertThat(anonymous.reply.status()).isEqualTo(403);
    assertThat(denyAll.reply.details()).isEqualTo("rbac_access_denied_matched_policy[nobody]");
    assertThat(count("rbac_denied", "")).isEqualTo(4);
    assertThat(count("rbac_allowed", "")).isZero();
  }

  @Test
  void shadowRulesAreCountedAndNeverEnforced() {
    RbacFilterFactory f = factory(Optional.empty(), Optional.of(frontendReadsKv()));
    FakeCallbacks other = callbacks(OTHER_CERT);
    FakeCallbacks frontend = callbacks(FRONTEND_CERT);

    assertThat(f.create().onRequestHeaders(request(HttpMethod.GET, "/kv/a"), true, other))
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(f.create().onRequestHeaders(request(HttpMethod.GET, "/kv/a"), true, frontend))
        .isEqualTo(FilterStatus.CONTINUE);

    assertThat(other.reply).isNull();
    assertThat(count("rbac_shadow_denied", "trial_")).isEqualTo(1);
    assertThat(count("rbac_shadow_allowed", "trial_")).isEqualTo(1);
    assertThat(count("rbac_denied", "")).isZero();
    assertThat(count("rbac_allowed", "")).isZero();
  }

  @Test
  void withoutRulesEverythingPassesUncounted() {
    FakeCallbacks cb = callbacks(null);
    assertThat(
            factory(Optional.empty(), Optional.empty())
                .create()
                .onRequestHeaders(request(HttpMethod.DELETE, "/"), true, cb))
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(count("rbac_allowed", "")).isZero();
  }

  @Test
  void perRouteConfigReplacesTheRulesOrDisablesTheFilter() {
    RbacFilterFactory f = factory(Optional.of(frontendReadsKv()), Optional.empty());
    Object denyAll =
        f.createRouteConfig(
            new RbacPerRouteConfig(
                RbacFilterConfig.FILTER_NAME,
                Optional.of(
                    new RbacFilterConfig(
                        RbacFilterConfig.FILTER_NAME,
                        Optional.of(denyEverything()),
                        Optional.empty(),
                        "",
                        ""))));
    Object disabled =
        f.createRouteConfig(new RbacPerRouteConfig(RbacFilterConfig.FILTER_NAME, Optional.empty()));
    FakeCallbacks frontendOnLockedRoute =
        callbacks(FRONTEND_CERT).withPerRoute(RbacFilterConfig.FILTER_NAME, denyAll);
    FakeCallbacks otherOnOpenRoute =
        callbacks(OTHER_CERT).withPerRoute(RbacFilterConfig.FILTER_NAME, disabled);

    f.create().onRequestHeaders(request(HttpMethod.GET, "/kv/a"), true, frontendOnLockedRoute);
    FilterStatus open =
        f.create().onRequestHeaders(request(HttpMethod.DELETE, "/kv/a"), true, otherOnOpenRoute);

    assertThat(frontendOnLockedRoute.reply.details())
        .isEqualTo("rbac_access_denied_matched_policy[nobody]");
    assertThat(open).isEqualTo(FilterStatus.CONTINUE);
    assertThat(otherOnOpenRoute.reply).isNull();
    assertThat(count("rbac_denied", "")).isEqualTo(1);
    assertThat(count("rbac_allowed", "")).isZero();
  }
}
