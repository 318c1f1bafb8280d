package io.outrigger.filters.http.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.http.FaultAbort;
import io.outrigger.api.model.http.FaultDelay;
import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.FractionalPercent;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.stats.FilterMeters;
import io.outrigger.filters.testkit.FakeCallbacks;
import io.outrigger.filters.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultFilterTest {
  private static final String NAME = "envoy.filters.http.fault";
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EmbeddedChannel loop = FakeCallbacks.loop();

  @AfterEach
  void close() {
    loop.finishAndReleaseAll();
  }

  private static FaultFilterConfig config(
      Optional<FaultDelay> delay, Optional<FaultAbort> abort, OptionalLong maxActive) {
    return new FaultFilterConfig(NAME, delay, abort, "", List.of(), List.of(), maxActive);
  }

  private static FaultFilterConfig abort(FaultAbort abort) {
    return config(Optional.empty(), Optional.of(abort), OptionalLong.empty());
  }

  private static FaultFilterConfig delay(FaultDelay delay) {
    return config(Optional.of(delay), Optional.empty(), OptionalLong.empty());
  }

  private FaultFilterFactory factory(FaultFilterConfig config, long seed) {
    return new FaultFilterFactory(
        config,
        new FilterContext(
            "edge", new FilterMeters(registry), new SplittableRandom(seed), new ManualClock()));
  }

  private static HttpRequest request(String... headerPairs) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a");
    for (int i = 0; i < headerPairs.length; i += 2) {
      r.headers().add(headerPairs[i], headerPairs[i + 1]);
    }
    return r;
  }

  private double counter(String name) {
    return registry.get(name).tag("stat_prefix", "edge").counter().count();
  }

  private double active() {
    return registry.get("fault_active_faults").tag("stat_prefix", "edge").gauge().value();
  }

  @Test
  void abortAnswersTheConfiguredStatusWithEnvoysBodyDetailsAndFlag() {
    HttpFilter f = factory(abort(FaultAbort.http(503, FractionalPercent.ALL)), 1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request(), true, cb)).isEqualTo(FilterStatus.STOP_ITERATION);

    assertThat(cb.reply.status()).isEqualTo(503);
    assertThat(cb.reply.body()).isEqualTo("fault filter abort");
    assertThat(cb.reply.details()).isEqualTo("fault_filter_abort");
    assertThat(cb.reply.flag()).isEqualTo(ResponseFlag.FI);
    assertThat(cb.reply.grpcStatus()).isEmpty();
    assertThat(counter("fault_aborts_injected")).isEqualTo(1);
    assertThat(active()).isEqualTo(1);
    f.onComplete(cb.streamInfo());
    assertThat(active()).isZero();
  }

  @Test
  void grpcAbortAnswersHttp200WithTheGrpcStatus() {
    HttpFilter f = factory(abort(FaultAbort.grpc(14, FractionalPercent.ALL)), 1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    f.onRequestHeaders(request(), true, cb);

    assertThat(cb.reply.status()).isEqualTo(200);
    assertThat(cb.reply.grpcStatus()).isEqualTo(OptionalInt.of(14));
  }

  @Test
  void abortPercentageSelectsExactlyTheSeededDraws() {
    FaultFilterFactory factory =
        factory(abort(FaultAbort.http(500, FractionalPercent.percent(30))), 42);
    int aborted = 0;
    for (int i = 0; i < 10_000; i++) {
      FakeCallbacks cb = new FakeCallbacks(loop);
      HttpFilter f = factory.create();
      if (f.onRequestHeaders(request(), true, cb) == FilterStatus.STOP_ITERATION) {
        aborted++;
      }
      f.onComplete(cb.streamInfo());
    }

    SplittableRandom same = new SplittableRandom(42);
    int expected = 0;
    for (int i = 0; i < 10_000; i++) {
      if (Math.floorMod(same.nextLong(), 100) < 30) {
        expected++;
      }
    }
    assertThat(aborted).isEqualTo(expected).isBetween(2800, 3200);
    assertThat(counter("fault_aborts_injected")).isEqualTo(aborted);
  }

  @Test
  void zeroAndFullPercentagesNeverAndAlwaysFire() {
    FractionalPercent none = new FractionalPercent(0, FractionalPercent.Denominator.MILLION);
    FractionalPercent all = new FractionalPercent(1_000_000, FractionalPercent.Denominator.MILLION);
    FaultFilterFactory never = factory(abort(FaultAbort.http(500, none)), 7);
    FaultFilterFactory always = factory(abort(FaultAbort.http(500, all)), 7);
    for (int i = 0; i < 1000; i++) {
      assertThat(never.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
          .isEqualTo(FilterStatus.CONTINUE);
      assertThat(always.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
          .isEqualTo(FilterStatus.STOP_ITERATION);
    }
  }

  @Test
  void delayStopsTheRequestAndResumesItWhenTheTimerFires() {
    HttpFilter f =
        factory(delay(FaultDelay.fixed(Duration.ofMillis(200), FractionalPercent.ALL)), 1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request(), true, cb)).isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(cb.flag).isEqualTo(ResponseFlag.DI);
    assertThat(counter("fault_delays_injected")).isEqualTo(1);
    assertThat(active()).isEqualTo(1);

    cb.advance(199);
    assertThat(cb.continued).isZero();
    cb.advance(1);
    assertThat(cb.continued).isEqualTo(1);
    assertThat(cb.reply).isNull();

    f.onComplete(cb.streamInfo());
    assertThat(active()).isZero();
  }

  @Test
  void delayThenAbortCountsOneActiveFault() {
    HttpFilter f =
        factory(
                config(
                    Optional.of(FaultDelay.fixed(Duration.ofMillis(50), FractionalPercent.ALL)),
                    Optional.of(FaultAbort.http(502, FractionalPercent.ALL)),
                    OptionalLong.of(1)),
                1)
            .create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request(), true, cb)).isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(cb.reply).as("the abort waits for the delay").isNull();
    cb.advance(50);

    assertThat(cb.reply.status()).isEqualTo(502);
    assertThat(cb.continued).isZero();
    assertThat(active()).isEqualTo(1);
    assertThat(counter("fault_faults_overflow"))
        .as("the second fault of a stream does not count against max_active_faults")
        .isZero();
  }

  @Test
  void streamThatEndsDuringTheDelayIsNeverResumed() {
    HttpFilter f =
        factory(delay(FaultDelay.fixed(Duration.ofSeconds(5), FractionalPercent.ALL)), 1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);
    f.onRequestHeaders(request(), true, cb);

    f.onComplete(cb.streamInfo());
    cb.advance(10_000);

    assertThat(cb.continued).isZero();
    assertThat(active()).isZero();
  }

  @Test
  void maxActiveFaultsOverflowLetsTheRequestThroughAndCountsIt() {
    FaultFilterFactory factory =
        factory(
            config(
                Optional.of(FaultDelay.fixed(Duration.ofSeconds(1), FractionalPercent.ALL)),
                Optional.empty(),
                OptionalLong.of(1)),
            1);
    HttpFilter first = factory.create();
    FakeCallbacks firstCb = new FakeCallbacks(loop);
    assertThat(first.onRequestHeaders(request(), true, firstCb))
        .isEqualTo(FilterStatus.STOP_ITERATION);

    HttpFilter second = factory.create();
    FakeCallbacks secondCb = new FakeCallbacks(loop);
    assertThat(second.onRequestHeaders(request(), true, secondCb)).isEqualTo(FilterStatus.CONTINUE);
    assertThat(secondCb.flag).isNull();
    assertThat(counter("fault_faults_overflow")).isEqualTo(1);
    assertThat(counter("fault_delays_injected")).isEqualTo(1);

    first.onComplete(firstCb.streamInfo());
    HttpFilter third = factory.create();
    assertThat(third.onRequestHeaders(request(), true, new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.STOP_ITERATION);
  }

  @Test
  void headerDelayTakesTheDelayAndALowerPercentageFromTheRequest() {
    FaultFilterFactory factory = factory(delay(FaultDelay.fromHeader(FractionalPercent.ALL)), 1);

    FakeCallbacks none = new FakeCallbacks(loop);
    assertThat(factory.create().onRequestHeaders(request(), true, none))
        .as("no header, no delay")
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request("x-envoy-fault-delay-request", "soon"), true, new FakeCallbacks(loop)))
        .as("not a number")
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(
                        "x-envoy-fault-delay-request", "30",
                        "x-envoy-fault-delay-request-percentage", "0"),
                    true,
                    new FakeCallbacks(loop)))
        .as("the percentage header lowers the share to none")
        .isEqualTo(FilterStatus.CONTINUE);

    FakeCallbacks delayed = new FakeCallbacks(loop);
    assertThat(
            factory
                .create()
                .onRequestHeaders(request("x-envoy-fault-delay-request", "30"), true, delayed))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    delayed.advance(29);
    assertThat(delayed.continued).isZero();
    delayed.advance(1);
    assertThat(delayed.continued).isEqualTo(1);
  }

  @Test
  void percentageHeaderCannotRaiseTheConfiguredShare() {
    FaultFilterFactory factory =
        factory(delay(FaultDelay.fromHeader(FractionalPercent.percent(0))), 1);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(
                        "x-envoy-fault-delay-request", "30",
                        "x-envoy-fault-delay-request-percentage", "100"),
                    true,
                    new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.CONTINUE);
  }

  @Test
  void headerAbortReadsHttpThenGrpcStatusAndIgnoresBadValues() {
    FaultFilterFactory factory = factory(abort(FaultAbort.fromHeader(FractionalPercent.ALL)), 1);

    FakeCallbacks http = new FakeCallbacks(loop);
    factory.create().onRequestHeaders(request("x-envoy-fault-abort-request", "418"), true, http);
    assertThat(http.reply.status()).isEqualTo(418);

    FakeCallbacks outOfRange = new FakeCallbacks(loop);
    assertThat(
            factory
                .create()
                .onRequestHeaders(request("x-envoy-fault-abort-request", "600"), true, outOfRange))
        .isEqualTo(FilterStatus.CONTINUE);

    FakeCallbacks grpc = new FakeCallbacks(loop);
    factory.create().onRequestHeaders(request("x-envoy-fault-abort-grpc-request", "8"), true, grpc);
    assertThat(grpc.reply.status()).isEqualTo(200);
    assertThat(grpc.reply.grpcStatus()).isEqualTo(OptionalInt.of(8));

    assertThat(factory.create().onRequestHeaders(request(), true, new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.CONTINUE);
  }

  @Test
  void faultHeadersAreIgnoredWithoutHeaderControlledConfig() {
    FaultFilterFactory factory =
        factory(
            config(
                Optional.of(FaultDelay.fixed(Duration.ofMillis(10), FractionalPercent.ZERO)),
                Optional.of(FaultAbort.http(503, FractionalPercent.ZERO)),
                OptionalLong.empty()),
            1);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(
                        "x-envoy-fault-delay-request", "1000",
                        "x-envoy-fault-abort-request", "500",
                        "x-envoy-fault-abort-request-percentage", "100"),
                    true,
                    new FakeCallbacks(loop)))
        .isEqualTo(FilterStatus.CONTINUE);
  }

  @Test
  void selectorsRestrictTheFaultToClusterNodeAndHeaders() {
    FaultFilterConfig config =
        new FaultFilterConfig(
            NAME,
            Optional.empty(),
            Optional.of(FaultAbort.http(503, FractionalPercent.ALL)),
            "payments",
            List.of("frontend"),
            List.of(HeaderMatcher.of("x-chaos", StringMatcher.exact("on"))),
            OptionalLong.empty());
    FaultFilterFactory factory = factory(config, 1);
    String[] all = {"x-envoy-downstream-service-node", "frontend", "x-chaos", "on"};

    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(all), true, new FakeCallbacks(loop).withRouteCluster("payments")))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(all), true, new FakeCallbacks(loop).withRouteCluster("orders")))
        .as("another cluster")
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request("x-envoy-downstream-service-node", "batch", "x-chaos", "on"),
                    true,
                    new FakeCallbacks(loop).withRouteCluster("payments")))
        .as("another downstream node")
        .isEqualTo(FilterStatus.CONTINUE);
    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request("x-envoy-downstream-service-node", "frontend"),
                    true,
                    new FakeCallbacks(loop).withRouteCluster("payments")))
        .as("header matcher fails")
        .isEqualTo(FilterStatus.CONTINUE);
  }

  @Test
  void perRouteSettingsReplaceTheFilterLevelOnes() {
    FaultFilterFactory factory = factory(abort(FaultAbort.http(503, FractionalPercent.ALL)), 1);
    Object quiet =
        factory.createRouteConfig(config(Optional.empty(), Optional.empty(), OptionalLong.empty()));
    Object teapot = factory.createRouteConfig(abort(FaultAbort.http(418, FractionalPercent.ALL)));

    assertThat(
            factory
                .create()
                .onRequestHeaders(
                    request(), true, new FakeCallbacks(loop).withPerRoute(NAME, quiet)))
        .isEqualTo(FilterStatus.CONTINUE);
    FakeCallbacks cb = new FakeCallbacks(loop).withPerRoute(NAME, teapot);
    factory.create().onRequestHeaders(request(), true, cb);
    assertThat(cb.reply.status()).isEqualTo(418);
  }
}
