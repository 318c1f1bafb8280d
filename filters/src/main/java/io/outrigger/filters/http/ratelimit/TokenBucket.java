package io.outrigger.filters.http.ratelimit;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.TokenBucketConfig;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Envoy's local rate limit token bucket, without its timer: it starts full with {@code max_tokens}
 * and gains {@code tokens_per_fill} at every whole {@code fill_interval} since it was created
 * (never above {@code max_tokens}), exactly as Envoy's fill timer would add them; the fills are
 * counted lazily when a request asks, from an injected monotonic clock.
 *
 * <p>Shared by every event loop and lock-free: the fill count (32 bits) and the tokens (32 bits)
 * are one {@code long} changed by compare-and-set. The fill count wraps after 2^31 intervals (over
 * three years at the 50ms minimum) without harm, unless the bucket goes untouched for that long.
 */
public final class TokenBucket {
  private static final long LOW = 0xFFFF_FFFFL;

  private final long maxTokens;
  private final long tokensPerFill;
  private final long intervalNanos;
  private final long fillsToFull;
  private final LongSupplier nanoClock;
  private final long originNanos;
  private final AtomicLong state;

  /**
   * @param nanoClock a monotonic clock ({@code System::nanoTime}); the bucket's fills are counted
   *     from its value now
   */
  public TokenBucket(TokenBucketConfig config, LongSupplier nanoClock) {
    requireNonNull(config, "config");
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.maxTokens = config.maxTokens();
    this.tokensPerFill = config.tokensPerFill();
    this.intervalNanos = config.fillInterval().toNanos();
    this.fillsToFull = (maxTokens + tokensPerFill - 1) / tokensPerFill;
    this.originNanos = nanoClock.getAsLong();
    this.state = new AtomicLong(pack(0, maxTokens));
  }

  /** Takes one token if there is one. Never blocks; safe from any thread. */
  public boolean tryAcquire() {
    int now = currentFill();
    while (true) {
      long s = state.get();
      long refilled = refilled(s, now);
      long tokens = refilled & LOW;
      if (tokens == 0) {
        if (refilled != s) {
          state.compareAndSet(s, refilled);
        }
        return false;
      }
      if (state.compareAndSet(s, refilled - 1)) {
        return true;
      }
    }
  }

  /** The tokens a request would find now (for statistics and tests); takes none. */
  public long availableTokens() {
    return refilled(state.get(), currentFill()) & LOW;
  }

  public long maxTokens() {
    return maxTokens;
  }

  private int currentFill() {
    return (int) ((nanoClock.getAsLong() - originNanos) / intervalNanos);
  }

  /** The state with the fills since its own fill count added; unchanged if none are due. */
  private long refilled(long s, int now) {
    int fill = (int) (s >>> 32);
    int elapsed = now - fill; // wraps correctly; negative when another thread saw a later clock
    if (elapsed <= 0) {
      return s;
    }
    long tokens = s & LOW;
    tokens =
        elapsed >= fillsToFull ? maxTokens : Math.min(maxTokens, tokens + elapsed * tokensPerFill);
    return pack(now, tokens);
  }

  private static long pack(int fill, long tokens) {
    return ((long) fill << 32) | tokens;
  }
}
