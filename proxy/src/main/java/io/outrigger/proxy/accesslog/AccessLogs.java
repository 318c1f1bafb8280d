package io.outrigger.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import io.outrigger.filters.http.StreamInfo;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access logs of one connection manager or {@code tcp_proxy}, built once per config, and the
 * clock that stamps its streams' start times.
 *
 * @param loggers in configured order
 * @param clock the wall clock for {@code %START_TIME%}
 */
public record AccessLogs(List<AccessLogger> loggers, Clock clock) {
  private static final Logger log = LoggerFactory.getLogger(AccessLogs.class);

  /** No access log. */
  public static final AccessLogs NONE = new AccessLogs(List.of(), Clock.systemUTC());

  public AccessLogs {
    loggers = List.copyOf(loggers);
    requireNonNull(clock, "clock");
  }

  /** Logs a finished stream to every access log; on the stream's event loop, never throws. */
  public void log(StreamInfo info) {
    for (int i = 0; i < loggers.size(); i++) { // by index: no iterator per request
      AccessLogger l = loggers.get(i);
      try {
        l.log(info);
      } catch (RuntimeException e) {
        log.warn("access log: cannot format a line: {}", e.toString(), e);
      }
    }
  }
}
