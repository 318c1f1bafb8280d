package io.outrigger.filters.http.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.http.FractionalPercent;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.HeaderValueOption;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.api.model.http.TokenBucketConfig;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.stats.FilterMeters;
import io.outrigger.filters.testkit.FakeCallbacks;
import io.outrigger.filters.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalRateLimitFilterTest {
  private static final String NAME = "envoy.filters.http.local_ratelimit";
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EmbeddedChannel loop = FakeCallbacks.loop();
  private final ManualClock clock = new ManualClock();

  @AfterEach
  void close() {
    loop.finishAndReleaseAll();
  }

  private static LocalRateLimitConfig config(
      String statPrefix, long maxTokens, FractionalPercent enabled, FractionalPercent enforced) {
    return new LocalRateLimitConfig(
        NAME,
        statPrefix,
        429,
        Optional.of(new TokenBucketConfig(maxTokens, 1, Duration.ofSeconds(1))),
        enabled,
        enforced,
        new HeaderMutation(
            List.of(HeaderValueOption.append("x-local-rate-limit", "true")), List.of()));
  }

  private LocalRateLimitFilterFactory factory(LocalRateLimitConfig config) {
    return new LocalRateLimitFilterFactory(
        config,
        new FilterContext("edge", new FilterMeters(registry), new SplittableRandom(3), clock));
  }

  private static HttpRequest request() {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
  }

  private double counter(String prefix, String name) {
    return registry
        .get("http_local_rate_limit_" + name)
        .tag("stat_prefix", prefix)
        .counter()
        .count();
  }

  @Test
  void doesNothingUnlessFilterEnabledIsSetAsInEnvoy() {
    LocalRateLimitFilterFactory factory =
        factory(config("rl", 1, FractionalPercent.ZERO, FractionalPercent.ALL));
    for (int i = 0; i < 5; i++) {
      assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
          .isEqualTo(FilterStatus.CONTINUE);
    }
    assertThat(counter("rl", "enabled")).isZero();
    assertThat(counter("rl", "rate_limited")).isZero();
  }

  @Test
  void answers429WithFlagRlAfterMaxTokensUntilTheNextFill() {
    LocalRateLimitFilterFactory factory =
        factory(config("rl", 2, FractionalPercent.ALL, FractionalPercent.ALL));

    assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.CONTINUE);
    FakeCallbacks limited = new FakeCallbacks(loop);
    assertThat(factory.create().onRequestHeaders(request(), true, limited))
        .isEqualTo(FilterStatus.STOP_ITERATION);

    assertThat(limited.reply.status()).isEqualTo(429);
    assertThat(limited.reply.body()).isEqualTo("local_rate_limited");
    assertThat(limited.reply.details()).isEqualTo("local_rate_limited");
    assertThat(limited.reply.flag()).isEqualTo(ResponseFlag.RL);
    assertThat(limited.reply.headers().get("x-local-rate-limit")).isEqualTo("true");
    assertThat(counter("rl", "enabled")).isEqualTo(3);
    assertThat(counter("rl", "ok")).isEqualTo(2);
    assertThat(counter("rl", "rate_limited")).isEqualTo(1);
    assertThat(counter("rl", "enforced")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.CONTINUE);
  }

  @Test
  void limitedButNotEnforcedRequestsAreOnlyCounted() {
    LocalRateLimitFilterFactory factory =
        factory(config("shadow", 1, FractionalPercent.ALL, FractionalPercent.ZERO));
    factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop));
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(factory.create().onRequestHeaders(request(), true, cb))
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(cb.reply).isNull();
    assertThat(counter("shadow", "rate_limited")).isEqualTo(1);
    assertThat(counter("shadow", "enforced")).isZero();
  }

  @Test
  void perRouteConfigHasItsOwnBucketAndStatistics() {
    LocalRateLimitFilterFactory factory =
        factory(config("listener", 1, FractionalPercent.ALL, FractionalPercent.ALL));
    Object route =
        factory.createRouteConfig(config("route", 3, FractionalPercent.ALL, FractionalPercent.ALL));

    for (int i = 0; i < 3; i++) {
      assertThat(
              factory
                  .create()
                  .onRequestHeaders(
                      request(), true, new FakeCallbacks(loop).withPerRoute(NAME, route)))
          .isEqualTo(FilterStatus.CONTINUE);
    }
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(), true, new FakeCallbacks(loop).withPerRoute(NAME, route)))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
        .as("the filter-level bucket is untouched")
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(counter("route", "rate_limited")).isEqualTo(1);
    assertThat(counter("listener", "ok")).isEqualTo(1);
  }

  @Test
  void withoutATokenBucketAtTheFilterLevelNothingIsLimited() {
    LocalRateLimitConfig noBucket =
        new LocalRateLimitConfig(
            NAME,
            "open",
            429,
            Optional.empty(),
            FractionalPercent.ALL,
            FractionalPercent.ALL,
            HeaderMutation.NONE);
    LocalRateLimitFilterFactory factory = factory(noBucket);
    for (int i = 0; i < 10; i++) {
      assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
          .isEqualTo(FilterStatus.CONTINUE);
    }
    assertThat(counter("open", "ok")).isEqualTo(10);
  }
}
