package io.outrigger.api.model.accesslog;

import static java.util.Objects.requireNonNull;

/** Where an access log's lines go. */
public sealed interface AccessLogSink {
  /**
   * A name for statistics and errors: the file's path, {@code /dev/stdout} or {@code /dev/stderr}.
   */
  String path();

  /** {@code envoy.access_loggers.file}: appended to a file, opened when the config is applied. */
  record File(String path) implements AccessLogSink {
    public File {
      requireNonNull(path, "path");
      if (path.isEmpty()) {
        throw new IllegalArgumentException("path: empty (expected: a file path)");
      }
    }
  }

  /** {@code envoy.access_loggers.stdout}. */
  record Stdout() implements AccessLogSink {
    @Override
    public String path() {
      return "/dev/stdout";
    }
  }

  /** {@code envoy.access_loggers.stderr}. */
  record Stderr() implements AccessLogSink {
    @Override
    public String path() {
      return "/dev/stderr";
    }
  }
}
