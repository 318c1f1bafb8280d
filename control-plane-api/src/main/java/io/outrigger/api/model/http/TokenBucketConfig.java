package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * {@code type.v3.TokenBucket}: a bucket that starts full with {@code maxTokens} and gains {@code
 * tokensPerFill} every {@code fillInterval}, never above {@code maxTokens}; a request takes one
 * token or is limited.
 *
 * @param maxTokens required, 1..4294967295
 * @param tokensPerFill default 1; 1..4294967295
 * @param fillInterval required; at least 50ms, as Envoy requires
 */
public record TokenBucketConfig(long maxTokens, long tokensPerFill, Duration fillInterval) {
  public static final long DEFAULT_TOKENS_PER_FILL = 1;
  public static final Duration MIN_FILL_INTERVAL = Duration.ofMillis(50);

  public TokenBucketConfig {
    requireNonNull(fillInterval, "fillInterval");
    if (maxTokens < 1 || maxTokens > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("max_tokens: " + maxTokens + " (expected: >= 1)");
    }
    if (tokensPerFill < 1 || tokensPerFill > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("tokens_per_fill: " + tokensPerFill + " (expected: >= 1)");
    }
    if (fillInterval.compareTo(MIN_FILL_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "fill_interval: " + fillInterval.toMillis() + "ms (expected: >= 50ms)");
    }
  }
}
