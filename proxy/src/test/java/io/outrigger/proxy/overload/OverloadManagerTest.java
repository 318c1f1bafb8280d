package io.outrigger.proxy.overload;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outrigger.api.model.overload.FixedHeapMonitorConfig;
import io.outrigger.api.model.overload.OverloadAction;
import io.outrigger.api.model.overload.OverloadActionConfig;
import io.outrigger.api.model.overload.OverloadManagerConfig;
import io.outrigger.api.model.overload.OverloadTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The overload manager's decisions, step by step, with the pressure driven by the test. */
class OverloadManagerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private double pressure;

  private OverloadManager manager(Optional<Long> maxConnections, OverloadActionConfig... actions) {
    OverloadManagerConfig config =
        new OverloadManagerConfig(
            Duration.ofMillis(100),
            Optional.of(new FixedHeapMonitorConfig(1024)),
            maxConnections,
            List.of(actions));
    return new OverloadManager(config, () -> pressure, registry);
  }

  private static OverloadActionConfig action(OverloadAction a, OverloadTrigger trigger) {
    return new OverloadActionConfig(a, List.of(trigger));
  }

  @Test
  void aThresholdTriggerShedsRequestsOnlyWhileThePressureIsAtOrAboveIt() {
    OverloadManager m =
        manager(
            Optional.empty(),
            action(OverloadAction.STOP_ACCEPTING_REQUESTS, new OverloadTrigger.Threshold(0.9)));

    pressure = 0.89;
    m.refresh();
    assertThat(m.rejectRequest()).isFalse();

    pressure = 0.9;
    m.refresh();
    assertThat(m.rejectRequest()).isTrue();
    assertThat(registry.get("overload_action_active").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("overload_resource_pressure").gauge().value()).isEqualTo(90.0);

    pressure = 0.5;
    m.refresh();
    assertThat(m.rejectRequest()).isFalse();
    assertThat(registry.get("overload_rejected_requests").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aScaledTriggerClosesKeepAliveConnectionsInProportion() {
    OverloadManager m =
        manager(
            Optional.empty(),
            action(OverloadAction.DISABLE_HTTP_KEEPALIVE, new OverloadTrigger.Scaled(0.5, 0.9)));
    SplittableRandom random = new SplittableRandom(42);

    pressure = 0.7; // half way from 0.5 to 0.9
    m.refresh();
    int closed = 0;
    for (int i = 0; i < 10_000; i++) {
      closed += m.disableKeepAlive(random) ? 1 : 0;
    }
    assertThat(closed).isBetween(4_700, 5_300);
    assertThat(registry.get("overload_action_scale_percent").gauge().value()).isEqualTo(50.0);

    pressure = 0.4;
    m.refresh();
    assertThat(m.disableKeepAlive(random)).isFalse();
    pressure = 0.95;
    m.refresh();
    assertThat(m.disableKeepAlive(random)).isTrue();
  }

  @Test
  void globalDownstreamMaxConnectionsAdmitsUpToTheLimitAndFreesSlotsOnClose() {
    OverloadManager m = manager(Optional.of(2L));

    assertThat(m.admitConnection()).isTrue();
    assertThat(m.admitConnection()).isTrue();
    assertThat(m.admitConnection()).isFalse();
    m.connectionClosed();
    assertThat(m.admitConnection()).isTrue();
    assertThat(m.openConnections()).isEqualTo(2);
    assertThat(
            registry
                .get("overload_rejected_connections")
                .tag("reason", "envoy.resource_monitors.global_downstream_max_connections")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void rejectAndStopAcceptingConnectionsFollowTheirTriggers() {
    OverloadManager m =
        manager(
            Optional.empty(),
            action(OverloadAction.REJECT_INCOMING_CONNECTIONS, new OverloadTrigger.Threshold(0.95)),
            action(OverloadAction.STOP_ACCEPTING_CONNECTIONS, new OverloadTrigger.Threshold(0.8)));
    List<Boolean> accepting = new ArrayList<>();
    m.onAcceptingChange(accepting::add);

    pressure = 0.85;
    m.refresh();
    assertThat(m.admitConnection()).isTrue();
    assertThat(m.acceptingConnections()).isFalse();

    pressure = 0.97;
    m.refresh();
    assertThat(m.admitConnection()).isFalse();

    pressure = 0.1;
    m.refresh();
    m.refresh(); // no change, no call
    assertThat(m.admitConnection()).isTrue();
    assertThat(accepting).containsExactly(false, true);
  }

  @Test
  void withoutAnOverloadManagerNothingIsEverShed() {
    OverloadManager none = OverloadManager.NONE;
    assertThat(none.rejectRequest()).isFalse();
    assertThat(none.disableKeepAlive(new SplittableRandom(1))).isFalse();
    assertThat(none.admitConnection()).isTrue();
  }
}
