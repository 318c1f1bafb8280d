package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.outrigger.api.model.LbConfig;
import java.time.Duration;

/**
 * Translates what an {@code ORIGINAL_DST} cluster's {@code CLUSTER_PROVIDED} policy reads: {@code
 * cleanup_interval} and {@code original_dst_lb_config}. The pairing of type and policy is checked
 * by {@link ClusterTranslator}.
 */
final class OriginalDstLbTranslator {
  private OriginalDstLbTranslator() {}

  static LbConfig.OriginalDst translate(Cluster proto, String path) throws ConfigException {
    Duration cleanup =
        proto.hasCleanupInterval()
            ? ProtoValues.duration(
                proto.getCleanupInterval(), Paths.field(path, "cleanup_interval"))
            : LbConfig.OriginalDst.DEFAULT_CLEANUP_INTERVAL;
    if (cleanup.isZero()) {
      throw ConfigException.at(Paths.field(path, "cleanup_interval"), "0s (expected: > 0s)");
    }
    Cluster.OriginalDstLbConfig lb = proto.getOriginalDstLbConfig();
    String header =
        lb.getHttpHeaderName().isEmpty()
            ? LbConfig.OriginalDst.DEFAULT_HTTP_HEADER_NAME
            : lb.getHttpHeaderName();
    return new LbConfig.OriginalDst(cleanup, lb.getUseHttpHeader(), header);
  }
}
