package io.outrigger.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.outrigger.certs.MeshCa;
import io.outrigger.controlplane.ManualClock;
import io.outrigger.controlplane.secrets.NodeSecrets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecretStreamsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final NodeSecrets secrets =
      new NodeSecrets(
          MeshCa.create("mesh.local", Duration.ofDays(30), clock, new SecureRandom()),
          Duration.ofHours(24),
          clock);
  private final SecretStreams streams = new SecretStreams(secrets);

  private static DiscoveryRequest request(String node) {
    return DiscoveryRequest.newBuilder()
        .setNode(Node.newBuilder().setId(node).setCluster("web"))
        .setTypeUrl(Resources.V3.SECRET_TYPE_URL)
        .build();
  }

  @Test
  void aNodeIsForgottenWhenItsLastStreamCloses() {
    secrets.ensure(Node.newBuilder().setId("web-1").setCluster("web").build());
    // A reconnect that overlaps: the new stream opens before the old one closes.
    streams.onV3StreamRequest(1, request("web-1"));
    streams.onV3StreamRequest(1, request("web-1"));
    streams.onV3StreamRequest(2, request("web-1"));

    streams.onStreamCloseWithError(1, Resources.V3.SECRET_TYPE_URL, new RuntimeException("reset"));
    assertThat(secrets.nodes()).containsExactly("web-1");

    streams.onStreamClose(2, Resources.V3.SECRET_TYPE_URL);
    assertThat(secrets.nodes()).isEmpty();
  }

  @Test
  void aStreamThatNeverNamedANodeChangesNothing() {
    secrets.ensure(Node.newBuilder().setId("web-1").setCluster("web").build());
    streams.onV3StreamRequest(3, DiscoveryRequest.getDefaultInstance());
    streams.onStreamClose(3, "");

    assertThat(secrets.nodes()).containsExactly("web-1");
  }
}
