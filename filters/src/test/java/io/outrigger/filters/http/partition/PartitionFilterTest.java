package io.outrigger.filters.http.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.PartitionRule.Action;
import io.outrigger.api.model.http.PartitionFilterConfig;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionFilterTest {
  private static final String NAME = PartitionFilterConfig.FILTER_NAME;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EmbeddedChannel loop = FakeCallbacks.loop();

  @AfterEach
  void close() {
    loop.finishAndReleaseAll();
  }

  private PartitionFilterFactory factory(long seed, PartitionRule... rules) {
    return new PartitionFilterFactory(
        new PartitionFilterConfig(NAME, List.of(rules)),
        new FilterContext(
            "outbound", new FilterMeters(registry), new SplittableRandom(seed), new ManualClock()));
  }

  private static HttpRequest request(String host) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/kv/a");
    r.headers().set("host", host);
    return r;
  }

  private double count(String action, String peer) {
    var c =
        registry
            .find("partition_requests")
            .tags("stat_prefix", "outbound", "action", action, "peer", peer)
            .counter();
    return c == null ? 0 : c.count();
  }

  private double held() {
    return registry.get("partition_held_requests").tag("stat_prefix", "outbound").gauge().value();
  }

  @Test
  void passesRequestsToPeersWithoutARule() {
    HttpFilter f = factory(1, PartitionRule.of("n2", Action.DROP)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request("n3:8080"), true, cb)).isEqualTo(FilterStatus.CONTINUE);
    assertThat(cb.reply).isNull();
    assertThat(cb.resets).isZero();
  }

  @Test
  void dropHoldsTheStreamUntilItCompletesAndThenReleasesIt() {
    HttpFilter f = factory(1, PartitionRule.of("n2", Action.DROP)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request("N2:443"), true, cb))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    cb.advance(Duration.ofHours(1).toMillis());

    assertThat(cb.continued).isZero();
    assertThat(cb.reply).isNull();
    assertThat(cb.resets).isZero();
    assertThat(held()).isEqualTo(1);
    assertThat(count("drop", "n2")).isEqualTo(1);

    f.onComplete(cb.streamInfo());
    assertThat(held()).isZero();
  }

  @Test
  void refuseAnswers503WithDetailsAndHeader() {
    HttpFilter f = factory(1, PartitionRule.of("n2", Action.REFUSE)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request("n2"), true, cb)).isEqualTo(FilterStatus.STOP_ITERATION);

    assertThat(cb.reply.status()).isEqualTo(503);
    assertThat(cb.reply.details()).isEqualTo("partition_refused");
    assertThat(cb.reply.flag()).isEqualTo(ResponseFlag.FI);
    assertThat(cb.reply.headers().get("x-outrigger-partition")).isEqualTo("refuse");
    assertThat(count("refuse", "n2")).isEqualTo(1);
  }

  @Test
  void resetResetsTheStream() {
    HttpFilter f = factory(1, PartitionRule.of("n2", Action.RESET)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request("n2"), true, cb)).isEqualTo(FilterStatus.STOP_ITERATION);

    assertThat(cb.resets).isEqualTo(1);
    assertThat(cb.reply).isNull();
    assertThat(count("reset", "n2")).isEqualTo(1);
  }

  @Test
  void delayContinuesAfterTheDelayOnly() {
    HttpFilter f =
        factory(1, new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    assertThat(f.onRequestHeaders(request("n2"), true, cb)).isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(cb.flag).isEqualTo(ResponseFlag.DI);
    cb.advance(199);
    assertThat(cb.continued).isZero();
    cb.advance(1);
    assertThat(cb.continued).isEqualTo(1);
  }

  @Test
  void delayTimerIsCancelledWhenTheStreamEndsFirst() {
    HttpFilter f =
        factory(1, new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    f.onRequestHeaders(request("n2"), true, cb);
    f.onComplete(cb.streamInfo());
    cb.advance(1000);

    assertThat(cb.continued).isZero();
  }

  @Test
  void loseDropsAboutTheFractionWithASeededRandom() {
    PartitionFilterFactory factory =
        factory(42, new PartitionRule("n2", Action.LOSE, Duration.ZERO, 0.3));
    int stopped = 0;
    for (int i = 0; i < 1000; i++) {
      HttpFilter f = factory.create();
      FakeCallbacks cb = new FakeCallbacks(loop);
      if (f.onRequestHeaders(request("n2"), true, cb) == FilterStatus.STOP_ITERATION) {
        stopped++;
        assertThat(cb.reply).isNull();
      }
      f.onComplete(cb.streamInfo());
    }

    assertThat(stopped).isBetween(250, 350);
    assertThat(count("lose", "n2")).isEqualTo(stopped);
    assertThat(held()).isZero();
  }

  @Test
  void perRouteRulesReplaceTheFilterRules() {
    HttpFilter f = factory(1, PartitionRule.of("n2", Action.DROP)).create();
    FakeCallbacks healed =
        new FakeCallbacks(loop).withPerRoute(NAME, new PartitionFilterConfig(NAME, List.of()));

    assertThat(f.onRequestHeaders(request("n2"), true, healed)).isEqualTo(FilterStatus.CONTINUE);

    HttpFilter g = factory(1).create();
    FakeCallbacks refused =
        new FakeCallbacks(loop)
            .withPerRoute(
                NAME,
                new PartitionFilterConfig(NAME, List.of(PartitionRule.of("n2", Action.REFUSE))));
    assertThat(g.onRequestHeaders(request("n2"), true, refused))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(refused.reply.status()).isEqualTo(503);
  }

  @Test
  void aFilterThatNamesItsPeerAppliesThatPeersRuleWhateverTheAuthority() {
    PartitionFilterFactory fixed =
        new PartitionFilterFactory(
            new PartitionFilterConfig(NAME, Optional.of("n2"), List.of()),
            new FilterContext(
                "outbound",
                new FilterMeters(registry),
                new SplittableRandom(1),
                new ManualClock()));
    FakeCallbacks refused =
        new FakeCallbacks(loop)
            .withPerRoute(
                NAME,
                new PartitionFilterConfig(NAME, List.of(PartitionRule.of("n2", Action.REFUSE))));

    assertThat(fixed.create().onRequestHeaders(request("10.0.0.12:8080"), true, refused))
        .isEqualTo(FilterStatus.STOP_ITERATION);
    assertThat(refused.reply.status()).isEqualTo(503);
    FakeCallbacks otherPeer =
        new FakeCallbacks(loop)
            .withPerRoute(
                NAME,
                new PartitionFilterConfig(NAME, List.of(PartitionRule.of("n3", Action.REFUSE))));
    assertThat(fixed.create().onRequestHeaders(request("n3"), true, otherPeer))
        .isEqualTo(FilterStatus.CONTINUE);
  }

  private static PartitionFilterConfig rules(PartitionRule... rules) {
    return new PartitionFilterConfig(NAME, List.of(rules));
  }

  @Test
  void aStreamLetThroughIsResetWhenNewerRoutesPartitionItsPeer() {
    HttpFilter f = factory(1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);
    assertThat(f.onRequestHeaders(request("n2:8080"), true, cb)).isEqualTo(FilterStatus.CONTINUE);
    assertThat(cb.routeWatchers()).isEqualTo(1);

    cb.routesChanged(rules(PartitionRule.of("n3", Action.RESET)));
    assertThat(cb.resets).isZero();
    cb.routesChanged(rules(PartitionRule.of("n2", Action.RESET)));

    assertThat(cb.resets).isEqualTo(1);
    assertThat(cb.flag).isEqualTo(ResponseFlag.FI);
    assertThat(count("reset", "n2")).isEqualTo(1);
    cb.routesChanged(rules(PartitionRule.of("n2", Action.RESET)));
    assertThat(cb.resets).as("a stream is cut once").isEqualTo(1);
  }

  @Test
  void aStreamLetThroughIsHeldByANewerDropAndReleasedWhenItEnds() {
    HttpFilter f = factory(1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);
    f.onRequestHeaders(request("n2"), true, cb);

    cb.routesChanged(rules(PartitionRule.of("n2", Action.DROP)));

    assertThat(cb.holds).isEqualTo(1);
    assertThat(cb.resets).isZero();
    assertThat(cb.reply).isNull();
    assertThat(held()).isEqualTo(1);
    f.onComplete(cb.streamInfo());
    assertThat(held()).isZero();
    assertThat(cb.routeWatchers()).as("the watch ends with the stream").isZero();
  }

  @Test
  void aStreamLetThroughIsRefusedByANewerRefuse() {
    HttpFilter f = factory(1).create();
    FakeCallbacks cb = new FakeCallbacks(loop);
    f.onRequestHeaders(request("n2"), true, cb);

    cb.routesChanged(rules(PartitionRule.of("n2", Action.REFUSE)));

    assertThat(cb.reply.status()).isEqualTo(503);
    assertThat(cb.reply.details()).isEqualTo("partition_refused");
  }

  @Test
  void newerRoutesWithoutARuleOrWithADelayLeaveAnOpenStreamAlone() {
    HttpFilter f = factory(1, PartitionRule.of("n3", Action.DROP)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);
    f.onRequestHeaders(request("n2"), true, cb);

    cb.routesChanged(null); // the new route has no per-filter config: the filter's rules apply
    cb.routesChanged(rules());
    cb.routesChanged(rules(new PartitionRule("n2", Action.DELAY, Duration.ofSeconds(1), 1.0)));

    assertThat(cb.resets + cb.holds + cb.continued).isZero();
    assertThat(cb.reply).isNull();
  }

  @Test
  void aDelayedStreamFollowsTheRoutesOnceItContinues() {
    HttpFilter f =
        factory(1, new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);
    f.onRequestHeaders(request("n2"), true, cb);
    assertThat(cb.routeWatchers()).isZero();

    cb.advance(200);
    cb.routesChanged(rules(PartitionRule.of("n2", Action.RESET)));

    assertThat(cb.resets).isEqualTo(1);
  }

  @Test
  void aStoppedStreamDoesNotWatch() {
    HttpFilter f = factory(1, PartitionRule.of("n2", Action.DROP)).create();
    FakeCallbacks cb = new FakeCallbacks(loop);

    f.onRequestHeaders(request("n2"), true, cb);

    assertThat(cb.routeWatchers()).isZero();
  }

  @Test
  void peerIsTheAuthorityHostWithoutPort() {
    assertThat(PartitionFilter.peerOf(request("N2:8080"))).isEqualTo("n2");
    assertThat(PartitionFilter.peerOf(request("n2"))).isEqualTo("n2");
    assertThat(PartitionFilter.peerOf(request("[::1]:80"))).isEqualTo("[::1]");
    assertThat(
            PartitionFilter.peerOf(
                new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/")))
        .isEmpty();
  }
}
