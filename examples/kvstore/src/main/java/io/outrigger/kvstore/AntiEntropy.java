package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs what replication missed. Every interval the replica takes the next peer in turn, fetches
 * its bucket digest ({@code GET /internal/digest}), and for each bucket that differs sends its own
 * entries of the bucket ({@code POST /internal/sync/{bucket}}); the peer keeps the newer ones and
 * answers with those the caller lacks, which the caller keeps. Both sides merge by the larger tag,
 * so a round never undoes a write, and after a heal every replica converges on the same contents.
 *
 * <p>Rounds run one at a time; the next is scheduled when one ends, on one event loop.
 */
final class AntiEntropy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);

  private final Storage storage;
  private final List<Peer> peers;
  private final PeerClient client;
  private final EventLoop loop;
  private final Duration interval;
  private final long callTimeoutNanos;
  private final AtomicInteger turn = new AtomicInteger();
  private volatile boolean closed;

  AntiEntropy(
      Storage storage,
      List<Peer> peers,
      PeerClient client,
      EventLoop loop,
      Duration interval,
      Duration callTimeout) {
    this.storage = requireNonNull(storage, "storage");
    this.peers = List.copyOf(peers);
    this.client = requireNonNull(client, "client");
    this.loop = requireNonNull(loop, "loop");
    this.interval = requireNonNull(interval, "interval");
    this.callTimeoutNanos = callTimeout.toNanos();
  }

  /** Starts the rounds, unless there are no peers or the interval is zero. */
  void start() {
    if (!peers.isEmpty() && !interval.isZero()) {
      schedule();
    }
  }

  private void schedule() {
    if (!closed) {
      loop.schedule(this::round, interval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void round() {
    Peer peer = peers.get(Math.floorMod(turn.getAndIncrement(), peers.size()));
    syncWith(peer)
        .whenComplete(
            (repaired, failure) -> {
              if (failure != null) {
                log.debug("anti-entropy with {} failed: {}", peer.name(), failure.toString());
              } else if (repaired > 0) {
                log.info("anti-entropy with {}: {} buckets repaired", peer.name(), repaired);
              }
              schedule();
            });
  }

  /**
   * One exchange with {@code peer}.
   *
   * @return how many buckets differed and were exchanged
   */
  CompletableFuture<Integer> syncWith(Peer peer) {
    return client
        .call(peer, HttpMethod.GET, "/internal/digest", new byte[0], deadline())
        .thenApply(Wire::digest)
        .thenCompose(theirs -> syncBuckets(peer, theirs));
  }

  private CompletableFuture<Integer> syncBuckets(Peer peer, long[] theirDigest) {
    return storage
        .digest()
        .thenCompose(
            mine -> {
              CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
              for (int b = 0; b < mine.length && b < theirDigest.length; b++) {
                if (mine[b] != theirDigest[b]) {
                  int bucket = b;
                  chain = chain.thenCompose(n -> syncBucket(peer, bucket).thenApply(k -> n + k));
                }
              }
              return chain;
            });
  }

  private CompletableFuture<Integer> syncBucket(Peer peer, int bucket) {
    return storage
        .bucket(bucket)
        .thenCompose(
            mine ->
                client
                    .call(
                        peer,
                        HttpMethod.POST,
                        "/internal/sync/" + bucket,
                        Wire.entries(mine),
                        deadline())
                    .thenCompose(reply -> storage.applyAll(Wire.entries(reply)))
                    .thenApply(applied -> 1));
  }

  private long deadline() {
    return System.nanoTime() + callTimeoutNanos;
  }

  @Override
  public void close() {
    closed = true;
  }
}
