package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import io.outrigger.api.model.http.FractionalPercent;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.api.model.http.TokenBucketConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Translates {@code envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit} into {@link
 * LocalRateLimitConfig}, at the filter level and per route.
 */
final class LocalRateLimitTranslator {
  private LocalRateLimitTranslator() {}

  /**
   * @param name the filter's name (or the {@code typed_per_filter_config} key)
   * @param perRoute whether this is a {@code typed_per_filter_config} entry, where Envoy requires a
   *     token bucket
   */
  static LocalRateLimitConfig translate(
      String name, LocalRateLimit proto, boolean perRoute, String path) throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    if (proto.getStatPrefix().isEmpty()) {
      throw ConfigException.at(Paths.field(path, "stat_prefix"), "required");
    }
    if (perRoute && !proto.hasTokenBucket()) {
      throw ConfigException.at(
          Paths.field(path, "token_bucket"), "required in a per-route config (as in Envoy)");
    }
    Optional<TokenBucketConfig> bucket =
        proto.hasTokenBucket()
            ? Optional.of(tokenBucket(proto.getTokenBucket(), Paths.field(path, "token_bucket")))
            : Optional.empty();
    int status =
        proto.hasStatus() ? proto.getStatus().getCodeValue() : LocalRateLimitConfig.DEFAULT_STATUS;
    if (proto.hasStatus() && status == 0) {
      throw ConfigException.at(Paths.field(path, "status.code"), "required");
    }
    HeaderMutation headers =
        HeaderMutationTranslator.translate(
            proto.getResponseHeadersToAddList(),
            List.of(),
            path,
            "response_headers_to_add",
            "response_headers_to_remove");
    try {
      return new LocalRateLimitConfig(
          name,
          proto.getStatPrefix(),
          status,
          bucket,
          runtimePercent(
              proto.hasFilterEnabled(),
              proto.getFilterEnabled(),
              Paths.field(path, "filter_enabled")),
          runtimePercent(
              proto.hasFilterEnforced(),
              proto.getFilterEnforced(),
              Paths.field(path, "filter_enforced")),
          headers);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static TokenBucketConfig tokenBucket(TokenBucket proto, String path)
      throws ConfigException {
    if (!proto.hasFillInterval()) {
      throw ConfigException.at(Paths.field(path, "fill_interval"), "required");
    }
    Duration fill =
        ProtoValues.duration(proto.getFillInterval(), Paths.field(path, "fill_interval"));
    long perFill =
        proto.hasTokensPerFill()
            ? Integer.toUnsignedLong(proto.getTokensPerFill().getValue())
            : TokenBucketConfig.DEFAULT_TOKENS_PER_FILL;
    try {
      // Envoy reads the interval in whole milliseconds.
      return new TokenBucketConfig(
          Integer.toUnsignedLong(proto.getMaxTokens()),
          perFill,
          Duration.ofMillis(fill.toMillis()));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** Envoy: an absent {@code filter_enabled}/{@code filter_enforced} means 0%, never. */
  private static FractionalPercent runtimePercent(
      boolean set, RuntimeFractionalPercent proto, String path) throws ConfigException {
    if (!set) {
      return FractionalPercent.ZERO;
    }
    if (!proto.hasDefaultValue()) {
      throw ConfigException.at(Paths.field(path, "default_value"), "required");
    }
    return ProtoValues.fractionalPercent(
        proto.getDefaultValue(), Paths.field(path, "default_value"));
  }
}
