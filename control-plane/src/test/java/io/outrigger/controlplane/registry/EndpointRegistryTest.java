package io.outrigger.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.controlplane.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registrations, heartbeats and TTL expiry in virtual time. */
class EndpointRegistryTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final EndpointRegistry registry = new EndpointRegistry(clock);

  @Test
  void expiresARegistrationWhoseHeartbeatsStop() {
    registry.register("kv", "127.0.0.1", 8080, Map.of(), Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(9));

    assertThat(registry.expire()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(registry.expire()).isTrue();
    assertThat(registry.all()).isEmpty();
  }

  @Test
  void aHeartbeatRenewsAndKeepsTheFirstRegistrationTime() {
    assertThat(registry.register("kv", "10.0.0.1", 80, Map.of(), Duration.ofSeconds(10)).created())
        .isTrue();
    clock.advance(Duration.ofSeconds(8));
    EndpointRegistry.Result beat =
        registry.register("kv", "10.0.0.1", 80, Map.of("v", "2"), Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(8));

    assertThat(beat.created()).isFalse();
    assertThat(registry.expire()).isFalse();
    assertThat(registry.all())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.registeredAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
              assertThat(r.metadata()).containsEntry("v", "2");
            });
    assertThat(registry.nextExpiry()).contains(Instant.parse("2025-01-01T00:00:18Z"));
  }

  @Test
  void deregistersByKey() {
    registry.register("kv", "::1", 8080, Map.of(), Duration.ofSeconds(10));

    assertThat(registry.deregister(new Registration.Key("kv", "::1", 8081))).isFalse();
    assertThat(registry.deregister(new Registration.Key("kv", "::1", 8080))).isTrue();
    assertThat(registry.all()).isEmpty();
  }

  @Test
  void refusesBadValuesByField() {
    assertThatThrownBy(() -> registry.register("", "127.0.0.1", 1, Map.of(), Duration.ofSeconds(5)))
        .hasMessageStartingWith("cluster: required");
    assertThatThrownBy(() -> registry.register("kv", "cafe", 1, Map.of(), Duration.ofSeconds(5)))
        .hasMessage("address: \"cafe\" (expected: an IPv4 or IPv6 literal)");
    assertThatThrownBy(
            () -> registry.register("kv", "127.0.0.1", 0, Map.of(), Duration.ofSeconds(5)))
        .hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> registry.register("kv", "127.0.0.1", 1, Map.of(), Duration.ZERO))
        .hasMessageStartingWith("ttl: PT0S");
  }
}
