package io.outrigger.api.validation;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.HedgePolicy;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsProto;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.RetryOn;
import io.outrigger.api.model.http.RouteRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Translates {@code retry_policy}, {@code hedge_policy} and {@code per_request_buffer_limit_bytes}
 * of a virtual host and of a route into one {@link RouteRetry} per route: the route's settings win,
 * the virtual host's fill in, Envoy's defaults fill the rest.
 */
final class RetryPolicyTranslator {
  static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
  private static final String PREVIOUS_HOSTS_TYPE =
      ProtoTypes.typeUrl(PreviousHostsProto.getDescriptor(), "PreviousHostsPredicate");

  private RetryPolicyTranslator() {}

  /**
   * What a virtual host contributes to its routes' retry settings.
   *
   * @param policy its {@code retry_policy}, if set
   * @param hedge its {@code hedge_policy}, if set
   * @param bufferLimit its {@code per_request_buffer_limit_bytes}, if set
   * @param includeAttemptCount its {@code include_request_attempt_count}
   */
  record HostDefaults(
      Optional<io.outrigger.api.model.http.RetryPolicy> policy,
      Optional<Boolean> hedge,
      Optional<Long> bufferLimit,
      boolean includeAttemptCount) {
    static final HostDefaults NONE =
        new HostDefaults(Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  static HostDefaults hostDefaults(
      io.envoyproxy.envoy.config.route.v3.VirtualHost proto, String path) throws ConfigException {
    return new HostDefaults(
        proto.hasRetryPolicy()
            ? Optional.of(policy(proto.getRetryPolicy(), Paths.field(path, "retry_policy")))
            : Optional.empty(),
        proto.hasHedgePolicy()
            ? Optional.of(hedge(proto.getHedgePolicy(), Paths.field(path, "hedge_policy")))
            : Optional.empty(),
        proto.hasPerRequestBufferLimitBytes()
            ? Optional.of(Integer.toUnsignedLong(proto.getPerRequestBufferLimitBytes().getValue()))
            : Optional.empty(),
        proto.getIncludeRequestAttemptCount());
  }

  /**
   * @param route the route proto (for {@code per_request_buffer_limit_bytes})
   * @param action its {@code route} action (for {@code retry_policy} and {@code hedge_policy})
   * @param actionPath the path of the {@code route} action
   */
  static RouteRetry routeRetry(
      io.envoyproxy.envoy.config.route.v3.Route route,
      io.envoyproxy.envoy.config.route.v3.RouteAction action,
      String actionPath,
      HostDefaults host)
      throws ConfigException {
    io.outrigger.api.model.http.RetryPolicy policy =
        action.hasRetryPolicy()
            ? policy(action.getRetryPolicy(), Paths.field(actionPath, "retry_policy"))
            : host.policy().orElse(io.outrigger.api.model.http.RetryPolicy.NONE);
    boolean hedge =
        action.hasHedgePolicy()
            ? hedge(action.getHedgePolicy(), Paths.field(actionPath, "hedge_policy"))
            : host.hedge().orElse(false);
    long limit =
        route.hasPerRequestBufferLimitBytes()
            ? Integer.toUnsignedLong(route.getPerRequestBufferLimitBytes().getValue())
            : host.bufferLimit().orElse(RouteRetry.DEFAULT_BUFFER_LIMIT_BYTES);
    return new RouteRetry(policy, hedge, limit, host.includeAttemptCount());
  }

  static io.outrigger.api.model.http.RetryPolicy policy(RetryPolicy proto, String path)
      throws ConfigException {
    Duration base = io.outrigger.api.model.http.RetryPolicy.DEFAULT_BASE_INTERVAL;
    Duration max = null;
    if (proto.hasRetryBackOff()) {
      String at = Paths.field(path, "retry_back_off");
      if (!proto.getRetryBackOff().hasBaseInterval()) {
        throw ConfigException.at(Paths.field(at, "base_interval"), "required");
      }
      base =
          ProtoValues.duration(
              proto.getRetryBackOff().getBaseInterval(), Paths.field(at, "base_interval"));
      if (proto.getRetryBackOff().hasMaxInterval()) {
        max =
            ProtoValues.duration(
                proto.getRetryBackOff().getMaxInterval(), Paths.field(at, "max_interval"));
      }
    }
    try {
      return new io.outrigger.api.model.http.RetryPolicy(
          retryOn(proto.getRetryOn(), Paths.field(path, "retry_on")),
          proto.hasNumRetries()
              ? (int)
                  Math.min(
                      Integer.MAX_VALUE, Integer.toUnsignedLong(proto.getNumRetries().getValue()))
              : io.outrigger.api.model.http.RetryPolicy.DEFAULT_NUM_RETRIES,
          optionalDuration(
              proto.hasPerTryTimeout(), proto.getPerTryTimeout(), path, "per_try_timeout"),
          optionalDuration(
              proto.hasPerTryIdleTimeout(),
              proto.getPerTryIdleTimeout(),
              path,
              "per_try_idle_timeout"),
          base,
          max != null ? max : base.multipliedBy(10),
          statusCodes(proto.getRetriableStatusCodesList()),
          headers(proto.getRetriableHeadersList(), Paths.field(path, "retriable_headers")),
          previousHosts(proto, path),
          proto.getHostSelectionRetryMaxAttempts() == 0
              ? 1
              : (int) Math.min(Integer.MAX_VALUE, proto.getHostSelectionRetryMaxAttempts()),
          rateLimited(proto, path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static Duration optionalDuration(
      boolean set, com.google.protobuf.Duration d, String path, String field)
      throws ConfigException {
    return set ? ProtoValues.duration(d, Paths.field(path, field)) : Duration.ZERO;
  }

  /** Envoy's comma-separated {@code retry_on}; an unknown condition is refused by name. */
  static Set<RetryOn> retryOn(String value, String path) throws ConfigException {
    Set<RetryOn> out = EnumSet.noneOf(RetryOn.class);
    if (value.isBlank()) {
      return out;
    }
    for (String token : value.split(",")) {
      Optional<RetryOn> on = RetryOn.ofToken(token);
      if (on.isEmpty()) {
        throw ConfigException.at(
            path,
            "\""
                + token.trim()
                + "\" not supported (expected: a comma-separated list of "
                + supportedTokens()
                + ")");
      }
      out.add(on.get());
    }
    return out;
  }

  private static String supportedTokens() {
    List<String> tokens = new ArrayList<>();
    for (RetryOn r : RetryOn.values()) {
      tokens.add(r.token());
    }
    return String.join(", ", tokens);
  }

  private static Set<Integer> statusCodes(List<Integer> codes) {
    return new LinkedHashSet<>(codes);
  }

  private static List<HeaderMatcher> headers(
      List<io.envoyproxy.envoy.config.route.v3.HeaderMatcher> protos, String path)
      throws ConfigException {
    List<HeaderMatcher> out = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      out.add(RouteMatchTranslator.header(protos.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private static boolean previousHosts(RetryPolicy proto, String path) throws ConfigException {
    boolean previous = false;
    for (int i = 0; i < proto.getRetryHostPredicateCount(); i++) {
      RetryPolicy.RetryHostPredicate p = proto.getRetryHostPredicate(i);
      String at = Paths.item(path, "retry_host_predicate", i);
      Any typed = p.getTypedConfig();
      boolean typedOk = !p.hasTypedConfig() || typed.getTypeUrl().equals(PREVIOUS_HOSTS_TYPE);
      if (!typedOk || !(p.getName().equals(PREVIOUS_HOSTS) || p.hasTypedConfig())) {
        throw ConfigException.at(
            at, "\"" + p.getName() + "\" not supported (expected: " + PREVIOUS_HOSTS + ")");
      }
      previous = true;
    }
    return previous;
  }

  private static Optional<io.outrigger.api.model.http.RetryPolicy.RateLimitedBackOff> rateLimited(
      RetryPolicy proto, String path) throws ConfigException {
    if (!proto.hasRateLimitedRetryBackOff()) {
      return Optional.empty();
    }
    RetryPolicy.RateLimitedRetryBackOff r = proto.getRateLimitedRetryBackOff();
    String at = Paths.field(path, "rate_limited_retry_back_off");
    List<io.outrigger.api.model.http.RetryPolicy.ResetHeader> headers = new ArrayList<>();
    for (int i = 0; i < r.getResetHeadersCount(); i++) {
      RetryPolicy.ResetHeader h = r.getResetHeaders(i);
      String hp = Paths.item(at, "reset_headers", i);
      try {
        headers.add(
            new io.outrigger.api.model.http.RetryPolicy.ResetHeader(
                h.getName(), h.getFormat() == RetryPolicy.ResetHeaderFormat.UNIX_TIMESTAMP));
      } catch (IllegalArgumentException e) {
        throw Paths.fromModel(hp, e);
      }
    }
    Duration max =
        r.hasMaxInterval()
            ? ProtoValues.duration(r.getMaxInterval(), Paths.field(at, "max_interval"))
            : io.outrigger.api.model.http.RetryPolicy.RateLimitedBackOff.DEFAULT_MAX_INTERVAL;
    try {
      return Optional.of(
          new io.outrigger.api.model.http.RetryPolicy.RateLimitedBackOff(headers, max));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }

  /**
   * {@code hedge_policy}: only {@code hedge_on_per_try_timeout}; {@code initial_requests} must be 1
   * and {@code additional_request_chance} unset, since Outrigger hedges only on per-try timeouts.
   */
  static boolean hedge(HedgePolicy proto, String path) throws ConfigException {
    if (proto.hasInitialRequests() && proto.getInitialRequests().getValue() != 1) {
      throw ConfigException.at(
          Paths.field(path, "initial_requests"),
          proto.getInitialRequests().getValue()
              + " not supported (expected: 1; hedging happens on per-try timeouts only)");
    }
    return proto.getHedgeOnPerTryTimeout();
  }
}
