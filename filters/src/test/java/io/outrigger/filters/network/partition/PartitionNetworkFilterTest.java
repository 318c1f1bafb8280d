package io.outrigger.filters.network.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.PartitionRule.Action;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterStatus;
import io.outrigger.filters.stats.FilterMeters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionNetworkFilterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EmbeddedChannel loop = new EmbeddedChannel();

  {
    loop.freezeTime();
  }

  @AfterEach
  void close() {
    loop.finishAndReleaseAll();
  }

  /** What the filter asked of its connection, in order. */
  private final class Recorder implements NetworkFilterCallbacks {
    final List<String> calls = new ArrayList<>();

    @Override
    public void continueConnection() {
      calls.add("continue");
    }

    @Override
    public void close() {
      calls.add("close");
    }

    @Override
    public void reset() {
      calls.add("reset");
    }

    @Override
    public void hold() {
      calls.add("hold");
    }

    @Override
    public EventExecutor executor() {
      return loop.eventLoop();
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return null;
    }
  }

  private final PartitionBoard board = new PartitionBoard();
  private final PartitionBoard.Key key =
      new PartitionBoard.Key("to_n2", PartitionNetworkFilterConfig.FILTER_NAME, "n2");

  /** A new configuration of listener {@code to_n2} that took connections: its rule is published. */
  private PartitionNetworkFilterFactory factory(long seed, PartitionRule... rules) {
    PartitionNetworkFilterFactory f = built(seed, rules);
    f.activated();
    return f;
  }

  /** A new configuration of listener {@code to_n2}, built but not (yet) taking connections. */
  private PartitionNetworkFilterFactory built(long seed, PartitionRule... rules) {
    return new PartitionNetworkFilterFactory(
        new PartitionNetworkFilterConfig(
            PartitionNetworkFilterConfig.FILTER_NAME, "n2", List.of(rules)),
        "to_n2",
        new FilterMeters(registry),
        new SplittableRandom(seed),
        board);
  }

  private double count(String action) {
    return registry
        .get("partition_connections")
        .tags("listener", "to_n2", "action", action, "peer", "n2")
        .counter()
        .count();
  }

  @Test
  void eachActionAsksTheConnectionForWhatItSays() {
    for (Action a : List.of(Action.DROP, Action.REFUSE, Action.RESET)) {
      Recorder cb = new Recorder();
      NetworkFilter f = factory(1, PartitionRule.of("n2", a)).create();

      assertThat(f.onNewConnection(cb)).isEqualTo(NetworkFilterStatus.STOP_ITERATION);
      assertThat(cb.calls)
          .containsExactly(a == Action.DROP ? "hold" : a == Action.REFUSE ? "close" : "reset");
      assertThat(count(a.configName())).isEqualTo(1);
    }
  }

  @Test
  void aRuleForAnotherPeerLetsTheConnectionThrough() {
    Recorder cb = new Recorder();

    assertThat(factory(1, PartitionRule.of("n3", Action.DROP)).create().onNewConnection(cb))
        .isEqualTo(NetworkFilterStatus.CONTINUE);
    assertThat(cb.calls).isEmpty();
  }

  @Test
  void delayContinuesAfterTheDelayUnlessTheConnectionClosedFirst() {
    PartitionNetworkFilterFactory factory =
        factory(1, new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0));
    Recorder cb = new Recorder();
    NetworkFilter f = factory.create();

    assertThat(f.onNewConnection(cb)).isEqualTo(NetworkFilterStatus.STOP_ITERATION);
    loop.advanceTimeBy(199, TimeUnit.MILLISECONDS);
    loop.runScheduledPendingTasks();
    assertThat(cb.calls).isEmpty();
    loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    loop.runScheduledPendingTasks();
    assertThat(cb.calls).containsExactly("continue");

    Recorder closed = new Recorder();
    NetworkFilter g = factory.create();
    g.onNewConnection(closed);
    g.onClose();
    loop.advanceTimeBy(1, TimeUnit.SECONDS);
    loop.runScheduledPendingTasks();
    assertThat(closed.calls).isEmpty();
  }

  @Test
  void loseHoldsAboutTheFraction() {
    PartitionNetworkFilterFactory factory =
        factory(7, new PartitionRule("n2", Action.LOSE, Duration.ZERO, 0.25));
    int held = 0;
    for (int i = 0; i < 1000; i++) {
      Recorder cb = new Recorder();
      if (factory.create().onNewConnection(cb) == NetworkFilterStatus.STOP_ITERATION) {
        held++;
        assertThat(cb.calls).containsExactly("hold");
      }
    }
    assertThat(held).isBetween(200, 300);
    assertThat(count("lose")).isEqualTo(held);
  }

  @Test
  void aConnectionOpenBeforeTheRuleIsCutWhenALaterConfigurationForbidsItsPeer() {
    for (Action a : List.of(Action.DROP, Action.REFUSE, Action.RESET)) {
      Recorder cb = new Recorder();
      NetworkFilter f = factory(1).create();
      assertThat(f.onNewConnection(cb)).isEqualTo(NetworkFilterStatus.CONTINUE);

      factory(1, PartitionRule.of("n3", Action.DROP)); // another peer: nothing happens
      loop.runPendingTasks();
      assertThat(cb.calls).isEmpty();
      factory(1, PartitionRule.of("n2", a));
      loop.runPendingTasks();

      assertThat(cb.calls)
          .containsExactly(a == Action.DROP ? "hold" : a == Action.REFUSE ? "close" : "reset");
      f.onClose();
      assertThat(board.watching(key)).isZero();
      factory(1); // healed, for the next round
    }
  }

  @Test
  void aConfigurationCutsOpenConnectionsOnlyOnceItTakesConnections() {
    Recorder cb = new Recorder();
    NetworkFilter f = factory(1).create();
    f.onNewConnection(cb);

    PartitionNetworkFilterFactory refusedOrWarming = built(1, PartitionRule.of("n2", Action.RESET));
    loop.runPendingTasks();
    assertThat(cb.calls).as("built, never activated: a refused update cuts nothing").isEmpty();

    refusedOrWarming.activated();
    loop.runPendingTasks();
    assertThat(cb.calls).containsExactly("reset");
  }

  @Test
  void delayAndAHealLeaveAnOpenConnectionAlone() {
    Recorder cb = new Recorder();
    NetworkFilter f = factory(1).create();
    f.onNewConnection(cb);

    factory(1, new PartitionRule("n2", Action.DELAY, Duration.ofMillis(200), 1.0));
    factory(1);
    loop.runPendingTasks();

    assertThat(cb.calls).isEmpty();
    assertThat(board.watching(key)).isEqualTo(1);
    f.onClose();
    assertThat(board.watching(key)).isZero();
  }

  @Test
  void aDelayedConnectionWatchesOnceItProceeded() {
    Recorder cb = new Recorder();
    NetworkFilter f =
        factory(1, new PartitionRule("n2", Action.DELAY, Duration.ofMillis(50), 1.0)).create();
    f.onNewConnection(cb);
    loop.advanceTimeBy(50, TimeUnit.MILLISECONDS);
    loop.runScheduledPendingTasks();

    factory(1, PartitionRule.of("n2", Action.RESET));
    loop.runPendingTasks();

    assertThat(cb.calls).containsExactly("continue", "reset");
  }
}
