package io.outrigger.proxy.xds;

import static io.outrigger.proxy.xds.ControlPlaneFixture.edsCluster;
import static io.outrigger.proxy.xds.ControlPlaneFixture.endpoints;
import static io.outrigger.proxy.xds.ControlPlaneFixture.listener;
import static io.outrigger.proxy.xds.ControlPlaneFixture.routes;
import static io.outrigger.proxy.xds.XdsResourceType.CLUSTER;
import static io.outrigger.proxy.xds.XdsResourceType.ENDPOINT;
import static io.outrigger.proxy.xds.XdsResourceType.LISTENER;
import static io.outrigger.proxy.xds.XdsResourceType.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outrigger.api.model.NodeConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The discovery client against the real java-control-plane on loopback. */
class AdsClientTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingHandler handler = new RecordingHandler();
  private ControlPlaneFixture controlPlane;
  private AdsClient client;

  @BeforeEach
  void startControlPlane() throws Exception {
    controlPlane = new ControlPlaneFixture();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    controlPlane.close();
  }

  private AdsClient start(Duration initialFetchTimeout) {
    AdsClientConfig config =
        new AdsClientConfig(
                controlPlane.target(),
                java.util.Optional.empty(),
                java.util.Map.of(),
                new NodeConfig("sidecar-1", ControlPlaneFixture.GROUP),
                Set.of(CLUSTER, LISTENER),
                initialFetchTimeout,
                AdsClientConfig.DEFAULT_BACKOFF_BASE,
                AdsClientConfig.DEFAULT_BACKOFF_MAX,
                Clock.fixed(NOW, ZoneOffset.UTC),
                new Random(7))
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    client = AdsClient.start(config, handler, registry);
    handler.subscriptions = client.subscriptions();
    return client;
  }

  private void publishV1() {
    controlPlane.publish(
        "1",
        List.of(edsCluster("backend")),
        List.of(endpoints("backend")),
        List.of(listener("ingress")),
        List.of(routes("local")));
  }

  @Test
  void receivesClustersAndListenersOnTheClientThreadAndAcksThem() {
    publishV1();

    start(Duration.ofSeconds(15));

    await().until(() -> handler.has(CLUSTER, "1") && handler.has(LISTENER, "1"));
    assertThat(handler.last(CLUSTER).names()).containsExactly("backend");
    assertThat(handler.last(LISTENER).names()).containsExactly("ingress");
    assertThat(handler.updates).allSatisfy(u -> assertThat(u.thread()).isEqualTo("outrigger-xds"));
    await().until(() -> ack(CLUSTER, "1").isPresent() && ack(LISTENER, "1").isPresent());
    assertThat(ack(CLUSTER, "1").orElseThrow().hasErrorDetail()).isFalse();
    assertThat(controlPlane.requests())
        .allSatisfy(r -> assertThat(r.getNode().getId()).isEqualTo("sidecar-1"))
        .allSatisfy(r -> assertThat(r.getNode().getCluster()).isEqualTo("kv"));
    assertThat(controlPlane.requests(CLUSTER).get(0).getResourceNamesList()).isEmpty();
    assertThat(client.status().get(CLUSTER))
        .isEqualTo(new TypeStatus("1", Optional.of(NOW), Optional.empty(), Optional.empty()));
    assertThat(counter("xds_update_success", "CDS")).isEqualTo(1.0);
    assertThat(registry.get("xds_version").tag("type", "CDS").gauge().value())
        .isEqualTo((double) XdsClientStats.versionHash("1"));
    await().until(() -> registry.get("control_plane_connected_state").gauge().value() == 1.0);
    await().until(() -> client.initialFetch().isDone());
  }

  @Test
  void nacksARefusedResponseWithErrorDetailAndKeepsTheLastGoodVersion() {
    handler.verdict =
        (type, version) ->
            type == CLUSTER && version.equals("2")
                ? Optional.of("[0].name: bad cluster")
                : Optional.empty();
    publishV1();
    start(Duration.ofSeconds(15));
    await().until(() -> ack(CLUSTER, "1").isPresent());

    controlPlane.publish(
        "2",
        List.of(edsCluster("other")),
        List.of(endpoints("backend")),
        List.of(listener("ingress")),
        List.of(routes("local")));

    await().until(() -> nack(CLUSTER).isPresent());
    DiscoveryRequest nack = nack(CLUSTER).orElseThrow();
    assertThat(nack.getVersionInfo()).isEqualTo("1");
    assertThat(nack.getResponseNonce()).isNotEmpty();
    assertThat(nack.getErrorDetail().getCode()).isEqualTo(3);
    assertThat(nack.getErrorDetail().getMessage()).isEqualTo("[0].name: bad cluster");
    TypeStatus status = client.status().get(CLUSTER);
    assertThat(status.version()).isEqualTo("1");
    assertThat(status.lastError()).contains("[0].name: bad cluster");
    assertThat(counter("xds_update_rejected", "CDS")).isGreaterThanOrEqualTo(1.0);
    assertThat(counter("xds_update_success", "CDS")).isEqualTo(1.0);
    assertThat(registry.get("xds_version").tag("type", "CDS").gauge().value())
        .isEqualTo((double) XdsClientStats.versionHash("1"));
  }

  @Test
  void subscribesToEndpointsAndRoutesWantedFromInsideTheHandler() {
    handler.wantOnUpdate =
        Map.of(CLUSTER, Map.entry(ENDPOINT, "backend"), LISTENER, Map.entry(ROUTE, "local"));
    publishV1();

    start(Duration.ofSeconds(15));

    await().until(() -> handler.has(ENDPOINT, "1") && handler.has(ROUTE, "1"));
    assertThat(handler.last(ENDPOINT).names()).containsExactly("backend");
    assertThat(handler.last(ROUTE).names()).containsExactly("local");
    assertThat(controlPlane.requests(ENDPOINT).get(0).getResourceNamesList())
        .containsExactly("backend");
    await().until(() -> ack(ENDPOINT, "1").isPresent() && ack(ROUTE, "1").isPresent());
    assertThat(ack(ENDPOINT, "1").orElseThrow().getResourceNamesList()).containsExactly("backend");
    await().until(() -> client.initialFetch().isDone());
  }

  @Test
  void wantingAnotherSetRequestsItWithTheCurrentVersionAndLastNonce() {
    handler.wantOnUpdate = Map.of(CLUSTER, Map.entry(ENDPOINT, "backend"));
    controlPlane.publish(
        "1",
        List.of(edsCluster("backend")),
        List.of(endpoints("backend"), endpoints("other")),
        List.of(listener("ingress")),
        List.of());
    start(Duration.ofSeconds(15));
    await().until(() -> ack(ENDPOINT, "1").isPresent());
    String nonce = ack(ENDPOINT, "1").orElseThrow().getResponseNonce();

    client.want(ENDPOINT, Set.of("other", "backend"));

    await()
        .until(
            () ->
                controlPlane.requests(ENDPOINT).stream()
                    .anyMatch(r -> r.getResourceNamesCount() == 2));
    DiscoveryRequest changed =
        controlPlane.requests(ENDPOINT).stream()
            .filter(r -> r.getResourceNamesCount() == 2)
            .findFirst()
            .orElseThrow();
    assertThat(changed.getResourceNamesList()).containsExactly("backend", "other");
    assertThat(changed.getVersionInfo()).isEqualTo("1");
    assertThat(changed.getResponseNonce()).isEqualTo(nonce);
    await().until(() -> handler.last(ENDPOINT).names().equals(Set.of("backend", "other")));
  }

  @Test
  void reconnectsAfterTheControlPlaneRestartsAndResendsTheLastAcceptedVersion() throws Exception {
    handler.wantOnUpdate = Map.of(CLUSTER, Map.entry(ENDPOINT, "backend"));
    publishV1();
    start(Duration.ofSeconds(15));
    await().until(() -> ack(CLUSTER, "1").isPresent() && ack(ENDPOINT, "1").isPresent());

    controlPlane.stop();
    await().until(() -> registry.get("control_plane_connected_state").gauge().value() == 0.0);
    assertThat(client.status().get(CLUSTER).version()).isEqualTo("1");
    controlPlane.restart();
    controlPlane.publish(
        "2",
        List.of(edsCluster("backend")),
        List.of(endpoints("backend")),
        List.of(listener("ingress"), listener("egress")),
        List.of());

    await().until(() -> handler.has(LISTENER, "2") && handler.has(ENDPOINT, "2"));
    DiscoveryRequest firstCds = controlPlane.requests(CLUSTER).get(0);
    assertThat(firstCds.getVersionInfo()).isEqualTo("1");
    assertThat(firstCds.getResponseNonce()).isEmpty();
    DiscoveryRequest firstEds = controlPlane.requests(ENDPOINT).get(0);
    assertThat(firstEds.getVersionInfo()).isEqualTo("1");
    assertThat(firstEds.getResourceNamesList()).containsExactly("backend");
    assertThat(handler.last(LISTENER).names()).containsExactlyInAnyOrder("ingress", "egress");
    await().until(() -> registry.get("control_plane_connected_state").gauge().value() == 1.0);
  }

  @Test
  void initialFetchCompletesOnTheTimeoutWhenTheControlPlaneHasNothing() {
    start(Duration.ofMillis(300));

    await().atMost(Duration.ofSeconds(5)).until(() -> client.initialFetch().isDone());
    assertThat(handler.updates).isEmpty();
    assertThat(client.status().get(LISTENER)).isEqualTo(TypeStatus.NONE);
  }

  @Test
  void closeCancelsTheStreamAndDisconnects() {
    publishV1();
    start(Duration.ofSeconds(15));
    await().until(() -> handler.has(CLUSTER, "1"));

    client.close();

    assertThat(registry.get("control_plane_connected_state").gauge().value()).isZero();
    client.want(ENDPOINT, Set.of("late")); // ignored once closed, never throws
  }

  private Optional<DiscoveryRequest> ack(XdsResourceType type, String version) {
    return controlPlane.requests(type).stream()
        .filter(r -> r.getVersionInfo().equals(version) && !r.getResponseNonce().isEmpty())
        .filter(r -> !r.hasErrorDetail())
        .findFirst();
  }

  private Optional<DiscoveryRequest> nack(XdsResourceType type) {
    return controlPlane.requests(type).stream()
        .filter(DiscoveryRequest::hasErrorDetail)
        .findFirst();
  }

  private double counter(String name, String type) {
    return registry.get(name).tag("type", type).counter().count();
  }

  /** Records every update; refuses what {@link #verdict} says; wants names as told. */
  static final class RecordingHandler implements XdsUpdateHandler {
    record Update(XdsResourceType type, String version, Set<String> names, String thread) {}

    final List<Update> updates = new CopyOnWriteArrayList<>();
    volatile java.util.function.BiFunction<XdsResourceType, String, Optional<String>> verdict =
        (type, version) -> Optional.empty();
    volatile Map<XdsResourceType, Map.Entry<XdsResourceType, String>> wantOnUpdate = Map.of();
    volatile Subscriptions subscriptions;

    @Override
    public Optional<String> onResources(
        XdsResourceType type, String version, Map<String, ? extends Message> resources) {
      updates.add(
          new Update(
              type, version, Set.copyOf(resources.keySet()), Thread.currentThread().getName()));
      Optional<String> refusal = verdict.apply(type, version);
      Map.Entry<XdsResourceType, String> want = wantOnUpdate.get(type);
      if (refusal.isEmpty() && want != null) {
        subscriptions.want(want.getKey(), Set.of(want.getValue()));
      }
      return refusal;
    }

    boolean has(XdsResourceType type, String version) {
      return updates.stream().anyMatch(u -> u.type() == type && u.version().equals(version));
    }

    Update last(XdsResourceType type) {
      return updates.stream().filter(u -> u.type() == type).reduce((a, b) -> b).orElseThrow();
    }
  }
}
