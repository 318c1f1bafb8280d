package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.outrigger.api.model.TcpProxyConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProxyTranslatorTest {
  @Test
  void fillsDefaults() throws Exception {
    TcpProxyConfig config = TcpProxyTranslator.translate("", Protos.tcpProxy("backend"), "t");

    assertThat(config)
        .isEqualTo(
            new TcpProxyConfig(
                TcpProxyConfig.FILTER_NAME,
                "tcp",
                "backend",
                TcpProxyConfig.DEFAULT_IDLE_TIMEOUT,
                1));
  }

  @Test
  void readsIdleTimeoutZeroAsDisabledAndConnectAttempts() throws Exception {
    TcpProxy proto =
        Protos.tcpProxy("backend").toBuilder()
            .setIdleTimeout(Protos.seconds(0, 0))
            .setMaxConnectAttempts(UInt32Value.of(3))
            .build();

    TcpProxyConfig config = TcpProxyTranslator.translate("tcp", proto, "t");

    assertThat(config.idleTimeout()).isEqualTo(Duration.ZERO);
    assertThat(config.maxConnectAttempts()).isEqualTo(3);
    assertThat(config.name()).isEqualTo("tcp");
  }

  @Test
  void refusesMissingStatPrefixAndCluster() {
    assertThatThrownBy(
            () ->
                TcpProxyTranslator.translate(
                    "", TcpProxy.newBuilder().setCluster("c").build(), "t"))
        .hasMessage("t.stat_prefix: required");
    assertThatThrownBy(
            () ->
                TcpProxyTranslator.translate(
                    "", TcpProxy.newBuilder().setStatPrefix("s").build(), "t"))
        .hasMessage("t.cluster: required");
  }

  @Test
  void refusesZeroConnectAttemptsAndNegativeIdleTimeout() {
    TcpProxy zeroAttempts =
        Protos.tcpProxy("c").toBuilder().setMaxConnectAttempts(UInt32Value.of(0)).build();
    TcpProxy negativeIdle =
        Protos.tcpProxy("c").toBuilder().setIdleTimeout(Protos.seconds(-1, 0)).build();

    assertThatThrownBy(() -> TcpProxyTranslator.translate("", zeroAttempts, "t"))
        .hasMessage("t.max_connect_attempts: 0 (expected: 1..2147483647)");
    assertThatThrownBy(() -> TcpProxyTranslator.translate("", negativeIdle, "t"))
        .hasMessage("t.idle_timeout: -1s (expected: >= 0s)");
  }

  @Test
  void refusesWeightedClustersByNameAndAnAccessLogWithoutItsLogger() {
    TcpProxy weighted =
        TcpProxy.newBuilder()
            .setStatPrefix("s")
            .setWeightedClusters(TcpProxy.WeightedCluster.getDefaultInstance())
            .build();
    TcpProxy withAccessLog =
        Protos.tcpProxy("c").toBuilder()
            .addAccessLog(io.envoyproxy.envoy.config.accesslog.v3.AccessLog.getDefaultInstance())
            .build();

    assertThatThrownBy(() -> TcpProxyTranslator.translate("", weighted, "t"))
        .hasMessage("t.weighted_clusters: " + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> TcpProxyTranslator.translate("", withAccessLog, "t"))
        .hasMessage("t.access_log[0].typed_config: required");
  }
}
