package io.outrigger.proxy.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Randomness for the data path (request ids, weighted route picks) that any event loop may use
 * without contention: each thread draws from its own {@link ThreadLocalRandom}. Tests inject a
 * seeded generator instead.
 */
final class ThreadLocalRandomSource implements RandomGenerator {
  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public int nextInt(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  @Override
  public double nextDouble() {
    return ThreadLocalRandom.current().nextDouble();
  }
}
