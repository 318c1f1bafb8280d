package io.outrigger.api.validation;

import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.FractionalPercent;
import io.outrigger.api.model.http.HeaderMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Translates {@code envoy.extensions.filters.http.fault.v3.HTTPFault} into {@link
 * FaultFilterConfig}, at the filter level and per route alike.
 */
final class FaultTranslator {
  private FaultTranslator() {}

  /**
   * @param name the filter's name (or the {@code typed_per_filter_config} key)
   * @param proto the unpacked config
   * @param path where it sits
   */
  static FaultFilterConfig translate(String name, HTTPFault proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    Optional<io.outrigger.api.model.http.FaultDelay> delay =
        proto.hasDelay()
            ? Optional.of(delay(proto.getDelay(), Paths.field(path, "delay")))
            : Optional.empty();
    Optional<io.outrigger.api.model.http.FaultAbort> abort =
        proto.hasAbort()
            ? Optional.of(abort(proto.getAbort(), Paths.field(path, "abort")))
            : Optional.empty();
    List<HeaderMatcher> headers = new ArrayList<>();
    for (int i = 0; i < proto.getHeadersCount(); i++) {
      headers.add(RouteMatchTranslator.header(proto.getHeaders(i), Paths.item(path, "headers", i)));
    }
    OptionalLong maxActive =
        proto.hasMaxActiveFaults()
            ? OptionalLong.of(Integer.toUnsignedLong(proto.getMaxActiveFaults().getValue()))
            : OptionalLong.empty();
    try {
      return new FaultFilterConfig(
          name,
          delay,
          abort,
          proto.getUpstreamCluster(),
          proto.getDownstreamNodesList(),
          headers,
          maxActive);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static io.outrigger.api.model.http.FaultDelay delay(FaultDelay proto, String path)
      throws ConfigException {
    FractionalPercent percentage = percentage(proto.hasPercentage(), proto.getPercentage(), path);
    try {
      return switch (proto.getFaultDelaySecifierCase()) {
        case FIXED_DELAY -> {
          String at = Paths.field(path, "fixed_delay");
          Duration d = ProtoValues.duration(proto.getFixedDelay(), at);
          // Envoy reads the delay in whole milliseconds (PROTOBUF_GET_MS_REQUIRED).
          yield io.outrigger.api.model.http.FaultDelay.fixed(
              Duration.ofMillis(d.toMillis()), percentage);
        }
        case HEADER_DELAY -> io.outrigger.api.model.http.FaultDelay.fromHeader(percentage);
        default -> throw ConfigException.at(path, "one of fixed_delay or header_delay required");
      };
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static io.outrigger.api.model.http.FaultAbort abort(FaultAbort proto, String path)
      throws ConfigException {
    FractionalPercent percentage = percentage(proto.hasPercentage(), proto.getPercentage(), path);
    try {
      return switch (proto.getErrorTypeCase()) {
        case HTTP_STATUS -> {
          int status = proto.getHttpStatus();
          if (status < 200 || status > 599) {
            throw ConfigException.at(
                Paths.field(path, "http_status"),
                Integer.toUnsignedString(status) + " (expected: 200..599)");
          }
          yield io.outrigger.api.model.http.FaultAbort.http(status, percentage);
        }
        case GRPC_STATUS -> {
          int status = proto.getGrpcStatus();
          if (status < 0) {
            throw ConfigException.at(
                Paths.field(path, "grpc_status"),
                Integer.toUnsignedString(status) + " (expected: 0..2147483647)");
          }
          yield io.outrigger.api.model.http.FaultAbort.grpc(status, percentage);
        }
        case HEADER_ABORT -> io.outrigger.api.model.http.FaultAbort.fromHeader(percentage);
        default ->
            throw ConfigException.at(
                path, "one of http_status, grpc_status or header_abort required");
      };
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  /** Envoy's default for an unset percentage is the proto's zero value: 0/100, never. */
  private static FractionalPercent percentage(
      boolean set, io.envoyproxy.envoy.type.v3.FractionalPercent proto, String path)
      throws ConfigException {
    return set
        ? ProtoValues.fractionalPercent(proto, Paths.field(path, "percentage"))
        : FractionalPercent.ZERO;
  }
}
