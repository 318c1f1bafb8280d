package io.outrigger.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outrigger.api.model.accesslog.AccessLogSink;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sidecar's access log writers, one per path, shared by every access log that names the path
 * (in any listener and any config version). Owned by the sidecar, which closes them last.
 */
public final class AccessLogWriters implements AutoCloseable {
  private final MeterRegistry registry;
  private final int capacity;
  private final Map<String, AccessLogWriter> writers = new LinkedHashMap<>();

  public AccessLogWriters(MeterRegistry registry) {
    this(registry, AccessLogWriter.DEFAULT_CAPACITY);
  }

  public AccessLogWriters(MeterRegistry registry, int capacity) {
    this.registry = requireNonNull(registry, "registry");
    this.capacity = capacity;
  }

  /**
   * The writer of {@code sink}'s path, opening the file (to append, created if missing) the first
   * time. Called on a config thread, never an event loop.
   *
   * @throws IOException naming the path when the file cannot be opened
   */
  public synchronized AccessLogWriter open(AccessLogSink sink) throws IOException {
    AccessLogWriter w = writers.get(sink.path());
    if (w != null) {
      return w;
    }
    OutputStream out;
    boolean closeStream = true;
    if (sink instanceof AccessLogSink.File file) {
      try {
        out =
            Files.newOutputStream(
                Path.of(file.path()),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
      } catch (IOException | RuntimeException e) {
        throw new IOException("access log \"" + file.path() + "\": cannot open: " + e, e);
      }
    } else {
      closeStream = false;
      out =
          new FileOutputStream(
              sink instanceof AccessLogSink.Stdout ? FileDescriptor.out : FileDescriptor.err);
    }
    Counter dropped =
        Counter.builder("access_log_dropped")
            .description("Access log lines dropped: queue full or write failed")
            .tag("path", sink.path())
            .register(registry);
    w = new AccessLogWriter(sink.path(), out, closeStream, dropped, capacity);
    writers.put(sink.path(), w);
    return w;
  }

  /** Writes what is queued and closes every file. */
  @Override
  public void close() {
    List<AccessLogWriter> all;
    synchronized (this) {
      all = new ArrayList<>(writers.values());
      writers.clear();
    }
    all.forEach(AccessLogWriter::close);
  }
}
