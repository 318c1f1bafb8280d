package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/**
 * Another replica, as this one reaches it.
 *
 * @param name the peer's node name; sent as the {@code Host} header, which is how the local
 *     sidecar's outbound route picks the peer's cluster
 * @param address where requests for the peer are sent: in a mesh, this replica's own sidecar's
 *     outbound listener; without sidecars, the peer's store itself
 */
public record Peer(String name, InetSocketAddress address) {
  public Peer {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    if (!KvStoreOptions.NODE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "peer name: \"" + name + "\" (expected: letters, digits, '-', '_' or '.')");
    }
  }
}
