package io.outrigger.proxy.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer allocator of the sidecar's channels (listeners, upstream connections, health probes,
 * the admin server): Netty's pooled allocator with chunks of 1 MiB, rather than Netty 4.2's default
 * adaptive allocator.
 *
 * <p>Why: on the NIO transport every socket read and write asks its buffer for a {@code
 * java.nio.ByteBuffer} view. An adaptive allocator's buffer makes a new one each time (a slice of
 * its chunk, 64 bytes: four per proxied HTTP/1.1 request); a pooled buffer takes one its chunk
 * keeps for reuse. Measured (docs/benchmarks.md, session 19): about 250 bytes less garbage per
 * proxied request, and 4 to 14 % less CPU per request.
 *
 * <p>Why 1 MiB chunks ({@code maxOrder} 7 over 8 KiB pages) instead of Netty's 4 MiB: each arena an
 * event loop allocates from takes a whole chunk, and the JDK zeroes direct memory as it hands it
 * out, so the chunk is resident at once. With 4 MiB chunks a sidecar's RSS at 1,000 req/s was 7 MiB
 * above the adaptive allocator's; with 1 MiB it is the same. Buffers larger than a chunk are
 * allocated unpooled, and a proxy's buffers are far smaller.
 *
 * <p>{@code -Doutrigger.allocator=adaptive} goes back to Netty's default allocator ({@link
 * ByteBufAllocator#DEFAULT}, which Netty's own {@code io.netty.allocator.*} properties configure).
 */
public final class BufferAllocators {
  private static final Logger log = LoggerFactory.getLogger(BufferAllocators.class);

  /** Pages of 8 KiB shifted by 7: 1 MiB chunks. */
  static final int MAX_ORDER = 7;

  private static volatile ByteBufAllocator sidecar;

  private BufferAllocators() {}

  /**
   * The allocator every sidecar channel uses, chosen by {@code -Doutrigger.allocator} at the first
   * call (the sidecar's start) and logged then.
   *
   * @throws IllegalArgumentException when the property names no allocator (at every call)
   */
  public static ByteBufAllocator sidecar() {
    ByteBufAllocator a = sidecar;
    if (a == null) {
      synchronized (BufferAllocators.class) {
        a = sidecar;
        if (a == null) {
          a = choose(System.getProperty("outrigger.allocator"));
          sidecar = a;
        }
      }
    }
    return a;
  }

  /**
   * The allocator {@code name} asks for: {@code pooled} (or none) for the pooled allocator with 1
   * MiB chunks, {@code adaptive} for Netty's default.
   *
   * @throws IllegalArgumentException for any other name
   */
  static ByteBufAllocator choose(String name) {
    String wanted = name == null ? "pooled" : name.strip().toLowerCase(Locale.ROOT);
    switch (wanted) {
      case "pooled" -> {
        log.info("buffers: pooled allocator, 1 MiB chunks");
        return pooled();
      }
      case "adaptive" -> {
        log.info("buffers: Netty's default allocator (-Doutrigger.allocator=adaptive)");
        return ByteBufAllocator.DEFAULT;
      }
      default ->
          throw new IllegalArgumentException(
              "-Doutrigger.allocator: " + name + " (expected: pooled or adaptive)");
    }
  }

  private static PooledByteBufAllocator pooled() {
    return new PooledByteBufAllocator(
        PooledByteBufAllocator.defaultPreferDirect(),
        PooledByteBufAllocator.defaultNumHeapArena(),
        PooledByteBufAllocator.defaultNumDirectArena(),
        PooledByteBufAllocator.defaultPageSize(),
        MAX_ORDER,
        PooledByteBufAllocator.defaultSmallCacheSize(),
        PooledByteBufAllocator.defaultNormalCacheSize(),
        PooledByteBufAllocator.defaultUseCacheForAllThreads());
  }
}
