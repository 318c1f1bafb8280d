package io.outrigger.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lines of every access log that shares one path, on a daemon thread of its own ({@code
 * outrigger-access-log}).
 *
 * <p>Event loops only {@link #offer} a finished line to a bounded lock-free queue (no lock an event
 * loop could park on; a sleeping writer is unparked): when the queue is full (the disk is slower
 * than the traffic) the line is dropped and counted in {@code access_log_dropped_total{path}}, and
 * the caller never waits. The thread drains the queue into a batch buffer and writes the batch when
 * the queue is empty, when the batch passes {@value #BATCH_BYTES} bytes, or at least every second.
 * A write that fails (a full disk) drops that batch's lines and counts them, and the next batch
 * tries again; nothing is retried, so memory stays bounded by the queue and one batch.
 *
 * <p>A {@code BufferedWriter} would keep a failed buffer and could not tell how many lines it lost,
 * so the batch is kept here instead.
 */
public final class AccessLogWriter implements AutoCloseable {
  /** Lines that may wait for the writer thread. */
  public static final int DEFAULT_CAPACITY = 65_536;

  static final int BATCH_BYTES = 64 * 1024;
  private static final long FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);

  private final String path;
  private final OutputStream out;
  private final boolean closeStream;
  private final Counter dropped;
  private final Queue<String> queue;
  private final Thread thread;
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH_BYTES);
  private int batchLines;
  private long lastFlushNanos = System.nanoTime();
  private boolean failing;
  private volatile boolean closed;
  private volatile boolean idle;

  /**
   * Starts the writer thread.
   *
   * @param path names the sink in the metric and in log messages
   * @param out where lines go; written only by the writer thread
   * @param closeStream whether {@link #close()} closes {@code out} (not for stdout and stderr)
   * @param dropped counts lines that were not written
   * @param capacity lines that may wait (rounded up to a power of two)
   */
  public AccessLogWriter(
      String path, OutputStream out, boolean closeStream, Counter dropped, int capacity) {
    this.path = requireNonNull(path, "path");
    this.out = requireNonNull(out, "out");
    this.closeStream = closeStream;
    this.dropped = requireNonNull(dropped, "dropped");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    this.thread = new Thread(this::run, "outrigger-access-log");
    thread.setDaemon(true);
    thread.start();
  }

  public String path() {
    return path;
  }

  /**
   * Hands a line to the writer thread; never blocks. Safe from any thread.
   *
   * @return false when the line was dropped (queue full, or the writer closed) and counted
   */
  public boolean offer(String line) {
    if (closed || !queue.offer(line)) {
      dropped.increment();
      return false;
    }
    if (idle) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Lines dropped so far. */
  public long droppedLines() {
    return (long) dropped.count();
  }

  private void run() {
    while (true) {
      String line = queue.poll();
      if (line != null) {
        append(line);
        if (System.nanoTime() - lastFlushNanos >= FLUSH_INTERVAL_NANOS) {
          flush();
        }
        continue;
      }
      flush(); // the queue is empty
      if (closed) {
        break;
      }
      // Sleep until a line arrives (offer unparks) or close() unparks.
      idle = true;
      if (queue.isEmpty() && !closed) {
        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
      }
      idle = false;
    }
    String line;
    while ((line = queue.poll()) != null) {
      append(line);
    }
    flush();
    if (closeStream) {
      try {
        out.close();
      } catch (IOException e) {
        log.warn("access log {}: close failed: {}", path, e.toString());
      }
    }
  }

  private void append(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    batch.write(bytes, 0, bytes.length);
    batchLines++;
    if (batch.size() >= BATCH_BYTES) {
      flush();
    }
  }

  private void flush() {
    lastFlushNanos = System.nanoTime();
    if (batchLines == 0) {
      return;
    }
    try {
      batch.writeTo(out);
      out.flush();
      if (failing) {
        failing = false;
        log.info("access log {}: writing again", path);
      }
    } catch (IOException e) {
      dropped.increment(batchLines);
      if (!failing) {
        failing = true; // logged once per failing period, not once per batch
        log.warn("access log {}: write failed, dropping lines: {}", path, e.toString());
      }
    } finally {
      batch.reset();
      batchLines = 0;
    }
  }

  /**
   * Stops taking lines, writes what is queued and closes the file. Waits for the writer thread (at
   * most 5 s); never call it on an event loop.
   */
  @Override
  public void close() {
    // No interrupt: it would close a FileChannel in the middle of a write. Unpark instead.
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
