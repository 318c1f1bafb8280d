package io.outrigger.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.accesslog.AccessLogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link AccessLogs} of a connection manager or {@code tcp_proxy} from its config, with
 * the sidecar's shared writers and clock.
 *
 * @param writers the sidecar's writers, one per path
 * @param clock the wall clock for {@code %START_TIME%}
 */
public record AccessLogFactory(AccessLogWriters writers, Clock clock) {
  public AccessLogFactory {
    requireNonNull(writers, "writers");
    requireNonNull(clock, "clock");
  }

  /**
   * The access logs of {@code configs}, opening files not yet open. Called on a config thread.
   *
   * @throws UncheckedIOException naming the path when a file cannot be opened
   */
  public AccessLogs create(List<AccessLogConfig> configs) {
    if (configs.isEmpty()) {
      return new AccessLogs(List.of(), clock);
    }
    List<AccessLogger> loggers = new ArrayList<>(configs.size());
    for (AccessLogConfig c : configs) {
      try {
        loggers.add(
            new AccessLogger(c.filter(), new LogFormat(c.format()), writers.open(c.sink())));
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
    return new AccessLogs(loggers, clock);
  }
}
