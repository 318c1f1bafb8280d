package io.outrigger.lab.nemesis;

/** Waits; injected so that schedules can be driven by something other than the wall clock. */
@FunctionalInterface
public interface Sleeper {
  /** Blocks the calling thread for about {@code nanos} nanoseconds. */
  void sleepNanos(long nanos) throws InterruptedException;
}
