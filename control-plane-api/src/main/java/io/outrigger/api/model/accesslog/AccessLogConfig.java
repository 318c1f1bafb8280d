package io.outrigger.api.model.accesslog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One {@code access_log} entry.
 *
 * @param name the entry's {@code name} as configured (free; the sink is chosen by the type)
 * @param sink where lines go
 * @param format how a line reads; Envoy's default format when none is configured
 * @param filter which streams are logged; empty logs every stream
 */
public record AccessLogConfig(
    String name, AccessLogSink sink, AccessLogFormat format, Optional<AccessLogFilter> filter) {

  public AccessLogConfig {
    requireNonNull(name, "name");
    requireNonNull(sink, "sink");
    requireNonNull(format, "format");
    requireNonNull(filter, "filter");
  }
}
