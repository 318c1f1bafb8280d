package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/** This replica's own storage as a quorum member; deadlines do not apply to local calls. */
final class LocalReplica implements Replica {
  private final String name;
  private final Storage storage;

  LocalReplica(String name, Storage storage) {
    this.name = requireNonNull(name, "name");
    this.storage = requireNonNull(storage, "storage");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Versioned> query(String key, long deadlineNanos) {
    return storage.get(key);
  }

  @Override
  public CompletableFuture<Versioned> store(Versioned v, long deadlineNanos) {
    return storage.apply(v);
  }
}
