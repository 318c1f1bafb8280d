package io.outrigger.proxy.tls;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the certificate files of every registered context on one daemon thread ({@code
 * outrigger-tls-watcher}), off the event loops, and rebuilds the contexts whose files changed.
 * Polling (content digest every interval) rather than file-system events, because certificate files
 * are commonly replaced by renaming a directory (Kubernetes secrets), which event watchers miss.
 */
public final class CertificateWatcher implements AutoCloseable {
  /** How often files are read again unless told otherwise. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final Set<ReloadableSslContext> watched = ConcurrentHashMap.newKeySet();
  private final Duration interval;
  private ScheduledExecutorService executor;
  private boolean closed;

  /** A watcher whose thread starts with the first file to watch. */
  public CertificateWatcher(Duration interval) {
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 1ms)");
    }
    this.interval = interval;
  }

  /** Starts watching {@code context}'s files (if it has any). */
  void watch(ReloadableSslContext context) {
    if (context.watchesFiles()) {
      watched.add(context);
      start();
    }
  }

  private synchronized void start() {
    if (executor != null || closed) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outrigger-tls-watcher");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    executor.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops watching {@code context}: its configuration was replaced. */
  void unwatch(ReloadableSslContext context) {
    watched.remove(context);
  }

  /** Checks every watched context now; what the timer does. Returns how many were reloaded. */
  int poll() {
    int n = 0;
    for (ReloadableSslContext c : watched) {
      if (c.reloadIfChanged()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
