package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ap}'s background replication: every local write is pushed to every peer ({@code POST
 * /internal/apply}). What a peer did not acknowledge stays as a hint (the newest entry per key) and
 * is retried with jittered exponential back-off (50 ms doubling to 5 s) until the peer takes it, so
 * a healed partition is repaired at once rather than at the next anti-entropy round.
 *
 * <p>Each peer's hints live on one event loop, so they need no lock. At most {@value #MAX_HINTS}
 * keys are held per peer; beyond that new hints are dropped and anti-entropy repairs those keys.
 */
final class HintedReplicator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HintedReplicator.class);
  static final int MAX_HINTS = 100_000;
  private static final int MAX_BATCH_BYTES = 4 << 20;
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final List<Link> links = new ArrayList<>();
  private final AtomicLong dropped = new AtomicLong();

  HintedReplicator(
      List<Peer> peers,
      PeerClient client,
      EventLoopGroup group,
      Duration callTimeout,
      RandomGenerator random) {
    for (Peer p : peers) {
      links.add(new Link(p, client, group.next(), callTimeout.toNanos(), random));
    }
  }

  /** Queues {@code v} for every peer; returns at once. */
  void replicate(Versioned v) {
    for (Link link : links) {
      link.loop.execute(() -> link.add(v));
    }
  }

  /** How many hints were dropped because a peer's queue was full. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    for (Link link : links) {
      link.loop.execute(() -> link.closed = true);
    }
  }

  /** One peer's queue; every field is touched on {@link #loop} only. */
  private final class Link {
    final Peer peer;
    final PeerClient client;
    final EventLoop loop;
    final long callTimeoutNanos;
    final RandomGenerator random;
    final Map<String, Versioned> hints = new LinkedHashMap<>();
    boolean sending;
    boolean closed;
    long backoffMs = MIN_BACKOFF_MS;

    Link(Peer peer, PeerClient client, EventLoop loop, long callTimeoutNanos, RandomGenerator r) {
      this.peer = requireNonNull(peer, "peer");
      this.client = client;
      this.loop = loop;
      this.callTimeoutNanos = callTimeoutNanos;
      this.random = r;
    }

    void add(Versioned v) {
      if (!hints.containsKey(v.key()) && hints.size() >= MAX_HINTS) {
        dropped.incrementAndGet();
        return;
      }
      hints.merge(v.key(), v, Versioned::newest);
      if (!sending) {
        sendBatch();
      }
    }

    private void sendBatch() {
      if (closed || hints.isEmpty()) {
        sending = false;
        return;
      }
      sending = true;
      List<Versioned> batch = takeBatch();
      client
          .call(
              peer,
              HttpMethod.POST,
              "/internal/apply",
              Wire.entries(batch),
              System.nanoTime() + callTimeoutNanos)
          .whenComplete((r, failure) -> loop.execute(() -> sent(batch, failure)));
    }

    private List<Versioned> takeBatch() {
      List<Versioned> batch = new ArrayList<>();
      int bytes = 0;
      Iterator<Versioned> it = hints.values().iterator();
      while (it.hasNext() && (batch.isEmpty() || bytes < MAX_BATCH_BYTES)) {
        Versioned v = it.next();
        bytes += v.key().length() + (v.value() == null ? 0 : v.value().length * 4 / 3) + 64;
        batch.add(v);
        it.remove();
      }
      return batch;
    }

    private void sent(List<Versioned> batch, Throwable failure) {
      if (failure == null) {
        backoffMs = MIN_BACKOFF_MS;
        sendBatch();
        return;
      }
      for (Versioned v : batch) {
        hints.merge(v.key(), v, Versioned::newest);
      }
      // Full jitter: replicas that lost the same peer do not retry in step.
      long delay = MIN_BACKOFF_MS + random.nextLong(backoffMs);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      log.debug(
          "{} hints for {} kept, retry in {} ms: {}", hints.size(), peer.name(), delay, failure);
      loop.schedule(this::sendBatch, delay, TimeUnit.MILLISECONDS);
    }
  }
}
