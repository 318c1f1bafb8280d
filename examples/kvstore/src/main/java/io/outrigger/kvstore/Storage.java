package io.outrigger.kvstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's contents, owned by a single thread ({@code kvstore-storage-NODE}) so that nothing
 * is locked and file I/O never runs on an event loop. Every method may be called from any thread;
 * it queues a task and returns a future that completes on the storage thread.
 *
 * <p>Durability: a future completes only once every record its task wrote or saw is durable in the
 * {@link DataLog} (a group commit per batch of queued tasks), so nothing a replica acknowledges or
 * shows is lost by a crash. Without a data folder the store lives in memory.
 *
 * <p>Merging: {@link #apply} keeps the larger tag per key, which is both ABD's store rule and ap's
 * last-writer-wins. The logical clock advances past every tag the replica sees, so the tags it
 * chooses are larger than anything it has held.
 *
 * <p>A per-bucket digest (a sum of entry hashes over {@value #BUCKETS} buckets of keys) is kept up
 * to date with every change, so anti-entropy can find differing buckets without a scan.
 */
final class Storage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Storage.class);
  static final int BUCKETS = 64;

  private final String node;
  private final ExecutorService thread;
  private final NavigableMap<String, Versioned> entries = new TreeMap<>();
  private final long[] digest = new long[BUCKETS];
  private final DataLog dataLog;
  private final List<CompletableFuture<?>> awaitingSync = new ArrayList<>();
  private boolean syncQueued;
  private long clock;

  private Storage(String node, DataLog dataLog, Map<String, Versioned> recovered) {
    this.node = node;
    this.dataLog = dataLog;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kvstore-storage-" + node);
              t.setDaemon(true);
              return t;
            });
    recovered.values().forEach(this::put);
  }

  /** A store kept in memory only. */
  static Storage inMemory(String node) {
    return new Storage(node, null, Map.of());
  }

  /** A store recovered from, and logged to, {@code dir}. */
  static Storage open(String node, Path dir, boolean fsync) throws IOException {
    Map<String, Versioned> recovered = new HashMap<>();
    DataLog dataLog = DataLog.open(dir, fsync, recovered);
    return new Storage(node, dataLog, recovered);
  }

  /** The entry held for {@code key} (a tombstone if deleted), or null if never seen. */
  CompletableFuture<Versioned> get(String key) {
    return submit(() -> entries.get(key));
  }

  /** Keeps {@code v} if its tag is newer than what is held; returns what is held afterwards. */
  CompletableFuture<Versioned> apply(Versioned v) {
    return submit(() -> merge(v));
  }

  /** {@link #apply} for many entries; returns how many were newer than what was held. */
  CompletableFuture<Integer> applyAll(List<Versioned> batch) {
    return submit(
        () -> {
          int applied = 0;
          for (Versioned v : batch) {
            if (merge(v) == v) {
              applied++;
            }
          }
          return applied;
        });
  }

  /** An ap write: a fresh tag from this replica's clock, kept locally; returns the new entry. */
  CompletableFuture<Versioned> writeLocal(String key, byte[] value) {
    return submit(() -> merge(new Versioned(key, value, new Version(++clock, node))));
  }

  /** A fresh tag of this replica's that is larger than {@code max} (null: larger than nothing). */
  CompletableFuture<Version> nextVersionAbove(Version max) {
    return submit(
        () -> {
          clock = Math.max(clock, max == null ? 0 : max.time()) + 1;
          return new Version(clock, node);
        });
  }

  /** The live (not deleted) entries whose key starts with {@code prefix}, in key order. */
  CompletableFuture<List<Versioned>> scan(String prefix) {
    return submit(
        () -> {
          List<Versioned> out = new ArrayList<>();
          for (Versioned v : entries.tailMap(prefix, true).values()) {
            if (!v.key().startsWith(prefix)) {
              break;
            }
            if (!v.isTombstone()) {
              out.add(v);
            }
          }
          return out;
        });
  }

  /** The per-bucket digest; equal digests mean (almost surely) equal tags per key. */
  CompletableFuture<long[]> digest() {
    return submit(digest::clone);
  }

  /** Every entry of one bucket, tombstones included. */
  CompletableFuture<List<Versioned>> bucket(int bucket) {
    return submit(() -> bucketEntries(bucket));
  }

  /**
   * One anti-entropy exchange, seen from the replica that is asked: keeps what is newer in {@code
   * theirs}, and returns the entries of the bucket that the caller lacks or holds older.
   */
  CompletableFuture<List<Versioned>> syncBucket(int bucket, List<Versioned> theirs) {
    return submit(
        () -> {
          Map<String, Version> theirVersions = new HashMap<>();
          for (Versioned v : theirs) {
            merge(v);
            theirVersions.put(v.key(), v.version());
          }
          List<Versioned> newer = new ArrayList<>();
          for (Versioned mine : bucketEntries(bucket)) {
            if (mine.version().isNewerThan(theirVersions.get(mine.key()))) {
              newer.add(mine);
            }
          }
          return newer;
        });
  }

  static int bucketOf(String key) {
    return Math.floorMod(key.hashCode(), BUCKETS);
  }

  private List<Versioned> bucketEntries(int bucket) {
    List<Versioned> out = new ArrayList<>();
    for (Versioned v : entries.values()) {
      if (bucketOf(v.key()) == bucket) {
        out.add(v);
      }
    }
    return out;
  }

  /** Storage thread only. */
  private Versioned merge(Versioned v) {
    Versioned held = entries.get(v.key());
    clock = Math.max(clock, v.version().time());
    if (!v.version().isNewerThan(held == null ? null : held.version())) {
      return held;
    }
    if (dataLog != null) {
      try {
        dataLog.append(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    put(v);
    return v;
  }

  private void put(Versioned v) {
    Versioned old = entries.put(v.key(), v);
    int b = bucketOf(v.key());
    if (old != null) {
      digest[b] -= hash(old);
    }
    digest[b] += hash(v);
    clock = Math.max(clock, v.version().time());
  }

  /** The tag identifies the value (one tag is never given to two values), so it is hashed alone. */
  private static long hash(Versioned v) {
    long h = v.key().hashCode() * 0x9E3779B97F4A7C15L;
    h ^= v.version().time() * 0xBF58476D1CE4E5B9L;
    h ^= v.version().replica().hashCode() * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    h *= 0xD6E8FEB86659FD93L;
    return h ^ (h >>> 32);
  }

  private <T> CompletableFuture<T> submit(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            T value;
            try {
              value = task.get();
            } catch (RuntimeException e) {
              log.error("storage task failed", e);
              result.completeExceptionally(e);
              return;
            }
            completeWhenDurable(result, value);
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** Completes now if nothing is waiting to be synced, else after the next group commit. */
  private <T> void completeWhenDurable(CompletableFuture<T> result, T value) {
    if (dataLog == null || (!dataLog.dirty() && awaitingSync.isEmpty())) {
      result.complete(value);
      return;
    }
    CompletableFuture<T> synced = new CompletableFuture<>();
    synced.whenComplete((ignored, failure) -> complete(result, value, failure));
    awaitingSync.add(synced);
    if (!syncQueued) {
      syncQueued = true;
      // Queued behind the tasks already waiting, so one sync covers all of them.
      thread.execute(this::sync);
    }
  }

  private void sync() {
    syncQueued = false;
    List<CompletableFuture<?>> done = new ArrayList<>(awaitingSync);
    awaitingSync.clear();
    try {
      dataLog.sync();
    } catch (IOException e) {
      log.error("cannot sync the data log; the writes waiting for it fail", e);
      // The records may or may not be on disk: the in-memory state stays, the callers are told.
      done.forEach(f -> f.completeExceptionally(e));
      return;
    }
    done.forEach(f -> f.complete(null));
  }

  private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
    if (failure != null) {
      result.completeExceptionally(failure);
    } else {
      result.complete(value);
    }
  }

  @Override
  public void close() throws IOException {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (dataLog != null) {
      dataLog.close();
    }
  }
}
