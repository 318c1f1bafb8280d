package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RuntimeDouble;
import io.outrigger.api.model.LbConfig;
import io.outrigger.api.model.LbPolicy;

/**
 * Translates a cluster's {@code lb_policy} and its {@code *_lb_config} into {@link LbConfig}.
 *
 * <p>As Envoy documents for the {@code lb_config} oneof, a config for another policy than the
 * chosen one is an error (Envoy finds it when the cluster is created; Outrigger when the config is
 * validated). Ranges are checked by the model records; this class puts their messages at the right
 * path.
 */
final class LbConfigTranslator {
  private static final String POLICIES =
      "ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV or CLUSTER_PROVIDED";

  private LbConfigTranslator() {}

  /**
   * @param proto a cluster whose fields {@link SupportedFieldsCheck} has accepted
   * @param path where the cluster sits
   */
  static LbConfig translate(Cluster proto, String path) throws ConfigException {
    LbPolicy policy = policy(proto, path);
    refuseConfigOfOtherPolicy(proto, path, policy);
    try {
      return switch (policy) {
        case LEAST_REQUEST ->
            proto.hasLeastRequestLbConfig()
                ? leastRequest(proto.getLeastRequestLbConfig(), path)
                : LbConfig.LeastRequest.DEFAULT;
        case RING_HASH ->
            proto.hasRingHashLbConfig()
                ? ringHash(proto.getRingHashLbConfig(), path)
                : LbConfig.RingHash.DEFAULT;
        case MAGLEV ->
            proto.hasMaglevLbConfig() ? maglev(proto.getMaglevLbConfig()) : LbConfig.Maglev.DEFAULT;
        case CLUSTER_PROVIDED -> OriginalDstLbTranslator.translate(proto, path);
        case ROUND_ROBIN, RANDOM -> LbConfig.defaults(policy);
      };
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(Paths.field(path, configField(policy)), e);
    }
  }

  private static LbPolicy policy(Cluster proto, String path) throws ConfigException {
    return switch (proto.getLbPolicy()) {
      case ROUND_ROBIN -> LbPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> LbPolicy.LEAST_REQUEST;
      case RANDOM -> LbPolicy.RANDOM;
      case RING_HASH -> LbPolicy.RING_HASH;
      case MAGLEV -> LbPolicy.MAGLEV;
      case CLUSTER_PROVIDED -> LbPolicy.CLUSTER_PROVIDED;
      default ->
          throw ConfigException.at(
              Paths.field(path, "lb_policy"),
              proto.getLbPolicy() + " not supported (expected: " + POLICIES + ")");
    };
  }

  private static void refuseConfigOfOtherPolicy(Cluster proto, String path, LbPolicy policy)
      throws ConfigException {
    LbPolicy owner =
        switch (proto.getLbConfigCase()) {
          case LEAST_REQUEST_LB_CONFIG -> LbPolicy.LEAST_REQUEST;
          case RING_HASH_LB_CONFIG -> LbPolicy.RING_HASH;
          case MAGLEV_LB_CONFIG -> LbPolicy.MAGLEV;
          case ORIGINAL_DST_LB_CONFIG -> LbPolicy.CLUSTER_PROVIDED;
          default -> null; // none set; the others are refused by SupportedFieldsCheck
        };
    if (owner != null && owner != policy) {
      throw ConfigException.at(
          Paths.field(path, configField(owner)),
          "configures "
              + owner
              + " but lb_policy is "
              + policy
              + " (expected: lb_policy: "
              + owner
              + ", or remove it)");
    }
  }

  private static String configField(LbPolicy policy) {
    return switch (policy) {
      case LEAST_REQUEST -> "least_request_lb_config";
      case RING_HASH -> "ring_hash_lb_config";
      case MAGLEV -> "maglev_lb_config";
      case CLUSTER_PROVIDED -> "original_dst_lb_config";
      case ROUND_ROBIN, RANDOM -> "lb_policy";
    };
  }

  private static LbConfig leastRequest(Cluster.LeastRequestLbConfig config, String clusterPath)
      throws ConfigException {
    String path = Paths.field(clusterPath, "least_request_lb_config");
    int choiceCount =
        config.hasChoiceCount()
            ? (int)
                Math.min(
                    Integer.MAX_VALUE, Integer.toUnsignedLong(config.getChoiceCount().getValue()))
            : LbConfig.LeastRequest.DEFAULT_CHOICE_COUNT;
    double bias = LbConfig.LeastRequest.DEFAULT_ACTIVE_REQUEST_BIAS;
    if (config.hasActiveRequestBias()) {
      bias = runtimeDouble(config.getActiveRequestBias(), Paths.field(path, "active_request_bias"));
    }
    return new LbConfig.LeastRequest(choiceCount, bias);
  }

  /**
   * Outrigger has no runtime layer, so a {@code RuntimeDouble} is its {@code default_value}, as in
   * Envoy when the runtime does not override the key. The key is required, as Envoy requires it.
   */
  private static double runtimeDouble(RuntimeDouble value, String path) throws ConfigException {
    if (value.getRuntimeKey().isEmpty()) {
      throw ConfigException.at(
          Paths.field(path, "runtime_key"),
          "required (Outrigger has no runtime, so default_value always applies)");
    }
    double bias = value.getDefaultValue();
    if (!(bias >= 0) || Double.isInfinite(bias)) {
      throw ConfigException.at(
          Paths.field(path, "default_value"), bias + " (expected: a finite number >= 0)");
    }
    return bias;
  }

  private static LbConfig ringHash(Cluster.RingHashLbConfig config, String clusterPath)
      throws ConfigException {
    if (config.getHashFunction() != Cluster.RingHashLbConfig.HashFunction.XX_HASH) {
      throw ConfigException.at(
          Paths.field(Paths.field(clusterPath, "ring_hash_lb_config"), "hash_function"),
          config.getHashFunction() + " not supported (expected: XX_HASH, the default)");
    }
    return new LbConfig.RingHash(
        config.hasMinimumRingSize()
            ? unsigned(config.getMinimumRingSize().getValue())
            : LbConfig.RingHash.DEFAULT_MINIMUM_RING_SIZE,
        config.hasMaximumRingSize()
            ? unsigned(config.getMaximumRingSize().getValue())
            : LbConfig.RingHash.MAX_RING_SIZE);
  }

  private static LbConfig maglev(Cluster.MaglevLbConfig config) {
    return new LbConfig.Maglev(
        config.hasTableSize()
            ? unsigned(config.getTableSize().getValue())
            : LbConfig.Maglev.DEFAULT_TABLE_SIZE);
  }

  /** A {@code uint64} above {@code Long.MAX_VALUE} is out of every range; keep it out of range. */
  private static long unsigned(long value) {
    return value < 0 ? Long.MAX_VALUE : value;
  }
}
