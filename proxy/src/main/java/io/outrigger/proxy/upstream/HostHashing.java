package io.outrigger.proxy.upstream;

import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How consistent-hashing balancers place hosts: MurmurHash3_x64_128 with seed 0 (Guava's {@link
 * Hashing#murmur3_128()}), whose output Guava guarantees stable across releases and machines, so
 * that every Outrigger sidecar builds the same ring and table from the same hosts.
 *
 * <p>Envoy hashes with xxHash64 instead; host positions therefore differ from an Envoy's, while the
 * properties (uniform spread, little movement when a host comes or goes) are the same. Only
 * building a ring or table hashes; a pick does not.
 */
final class HostHashing {
  private static final HashFunction MURMUR3 = Hashing.murmur3_128();

  private HostHashing() {}

  /** The first 64 bits of the hash of {@code key} (its UTF-8 bytes). */
  static long hash64(String key) {
    return MURMUR3.hashString(key, StandardCharsets.UTF_8).asLong();
  }

  /** Both 64-bit halves of the hash of {@code key}: two independent hashes at the price of one. */
  static long[] hash128(String key) {
    HashCode code = MURMUR3.hashString(key, StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.wrap(code.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
    return new long[] {bytes.getLong(0), bytes.getLong(8)};
  }

  /** The key a host is hashed by: {@code ip:port}, as Envoy hashes it. */
  static String key(Host host) {
    return host.addressString();
  }

  /**
   * The hosts ordered by their key, so that what is built from them depends only on which hosts
   * there are, not on the order discovery listed them in.
   */
  static List<Host> sortedByKey(List<Host> hosts) {
    List<Host> sorted = new ArrayList<>(hosts);
    sorted.sort(Comparator.comparing(HostHashing::key).thenComparingInt(Host::weight));
    return sorted;
  }
}
