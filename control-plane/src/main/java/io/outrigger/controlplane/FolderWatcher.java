package io.outrigger.controlplane;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} once the resource folder has been quiet for {@code debounce} after a
 * change. Changes are seen two ways: the file system's events ({@link WatchService}, on the folder
 * and its sub-folders), and a comparison of every file's size and modification time every {@code
 * pollInterval}, for file systems (some overlay and network ones) whose events do not arrive.
 */
final class FolderWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

  private final Path dir;
  private final Duration debounce;
  private final ScheduledExecutorService scheduler;
  private final Runnable onChange;
  private final WatchService watchService;
  private final Thread eventThread;
  private ScheduledFuture<?> pending;
  private List<String> fingerprint;

  FolderWatcher(
      Path dir,
      Duration debounce,
      Duration pollInterval,
      ScheduledExecutorService scheduler,
      Runnable onChange)
      throws IOException {
    this.dir = requireNonNull(dir, "dir");
    this.debounce = requireNonNull(debounce, "debounce");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.onChange = requireNonNull(onChange, "onChange");
    this.watchService = dir.getFileSystem().newWatchService();
    this.fingerprint = fingerprint();
    registerAll();
    this.eventThread = new Thread(this::events, "outrigger-cp-watch");
    eventThread.setDaemon(true);
    eventThread.start();
    scheduler.scheduleWithFixedDelay(
        this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Schedules {@code onChange} after the debounce, replacing one already scheduled. */
  synchronized void changed() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = scheduler.schedule(this::fire, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void fire() {
    synchronized (this) {
      fingerprint = fingerprint();
    }
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.error("reading the resource folder failed", e);
    }
  }

  private void events() {
    try {
      while (true) {
        WatchKey key = watchService.take();
        key.pollEvents();
        key.reset();
        try {
          registerAll();
          changed();
        } catch (RuntimeException e) {
          // A file that vanished mid-walk (our own atomic writes rename temporary files) must not
          // end the watching thread.
          log.warn("watching {}: {}", dir, e.toString());
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private void poll() {
    List<String> now = fingerprint();
    boolean differs;
    synchronized (this) {
      differs = !Objects.equals(now, fingerprint);
      fingerprint = now;
    }
    if (differs) {
      changed();
    }
  }

  private void registerAll() {
    try (Stream<Path> dirs = Files.walk(dir, 2)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        d.register(
            watchService,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    } catch (IOException | UncheckedIOException | ClosedWatchServiceException e) {
      log.debug("cannot watch {}: {}", dir, e.toString());
    }
  }

  /**
   * Every resource file's path, size and modification time, in path order; files starting with
   * {@code .} (never read, and the temporary files of atomic writes) are left out.
   */
  private List<String> fingerprint() {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir, 2)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (f.getFileName().toString().startsWith(".")) {
          continue;
        }
        try {
          out.add(f + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis());
        } catch (IOException e) {
          out.add(f + " gone"); // removed since the walk saw it: the next round sees the change
        }
      }
    } catch (IOException | UncheckedIOException e) {
      out.add("error " + e.getMessage());
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    watchService.close();
    eventThread.interrupt();
  }
}
