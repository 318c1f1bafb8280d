package io.outrigger.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.accesslog.AccessLogFilter;
import io.outrigger.filters.http.StreamInfo;
import java.util.Optional;

/**
 * One configured {@code access_log}: when a stream ends, its filter decides, its format renders the
 * line (on the event loop: cheap), and its writer takes the line without blocking.
 */
public final class AccessLogger {
  private final Optional<AccessLogFilter> filter;
  private final LogFormat format;
  private final AccessLogWriter writer;

  public AccessLogger(Optional<AccessLogFilter> filter, LogFormat format, AccessLogWriter writer) {
    this.filter = requireNonNull(filter, "filter");
    this.format = requireNonNull(format, "format");
    this.writer = requireNonNull(writer, "writer");
  }

  /** Logs {@code info} if the filter lets it through; never blocks. */
  public void log(StreamInfo info) {
    if (filter.isPresent()) {
      long nanos = info.durationNanos();
      long millis = nanos < 0 ? 0 : nanos / 1_000_000;
      if (!filter.get().test(info.responseCode(), millis)) {
        return;
      }
    }
    writer.offer(format.format(info));
  }
}
