package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.CompletableFuture;

/** A peer as a quorum member: {@code GET} and {@code PUT /internal/kv/{key}} through the mesh. */
final class RemoteReplica implements Replica {
  private final Peer peer;
  private final PeerClient client;

  RemoteReplica(Peer peer, PeerClient client) {
    this.peer = requireNonNull(peer, "peer");
    this.client = requireNonNull(client, "client");
  }

  @Override
  public String name() {
    return peer.name();
  }

  @Override
  public CompletableFuture<Versioned> query(String key, long deadlineNanos) {
    return client
        .call(peer, HttpMethod.GET, path(key), new byte[0], deadlineNanos)
        .thenApply(body -> Wire.entry(Wire.parse(body)));
  }

  @Override
  public CompletableFuture<Versioned> store(Versioned v, long deadlineNanos) {
    byte[] body = Wire.bytes(Wire.entry(v.key(), v));
    return client
        .call(peer, HttpMethod.PUT, path(v.key()), body, deadlineNanos)
        .thenApply(reply -> Wire.entry(Wire.parse(reply)));
  }

  private static String path(String key) {
    return "/internal/kv/" + Paths.encode(key);
  }
}
