package io.outrigger.cli.mesh;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How to start a mesh.
 *
 * @param nodes how many store replicas, each with a sidecar: 1..9 (names {@code n1}…{@code n9})
 * @param mode the store's mode: {@code cp}, {@code cp-unsafe} or {@code ap}
 * @param dir the mesh folder: state, resources, bootstraps, data and logs
 * @param startTimeout how long {@code up} waits for everything to be healthy and in sync
 * @param intercept whether each node runs in a network namespace of its own with its traffic
 *     intercepted ({@code --intercept}): the replica calls its peers at their plain addresses and
 *     iptables sends that through the sidecars; else every process on the host's loopback, the
 *     replica calling its sidecar's outbound listener
 * @param store what each node runs: {@code kvstore}, the project's store, or {@code etcd}, a member
 *     of an etcd cluster (which needs {@code intercept}: each member advertises one address)
 */
public record MeshOptions(
    int nodes, String mode, Path dir, Duration startTimeout, boolean intercept, String store) {
  static final Set<String> STORES = Set.of("kvstore", "etcd");
  static final Set<String> MODES = Set.of("cp", "cp-unsafe", "ap");

  public MeshOptions {
    requireNonNull(mode, "mode");
    requireNonNull(dir, "dir");
    requireNonNull(startTimeout, "startTimeout");
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("--nodes: " + nodes + " (expected: 1..9)");
    }
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("--mode: " + mode + " (expected: cp, cp-unsafe or ap)");
    }
    requireNonNull(store, "store");
    if (!STORES.contains(store)) {
      throw new IllegalArgumentException("--store: " + store + " (expected: kvstore or etcd)");
    }
    if (store.equals("etcd") && !intercept) {
      throw new IllegalArgumentException(
          "--store etcd needs --intercept: each etcd member advertises one peer address, which"
              + " its peers must reach through its sidecar");
    }
    dir = dir.toAbsolutePath().normalize();
  }

  /** A mesh of the project's store, on loopback or intercepted. */
  public MeshOptions(int nodes, String mode, Path dir, Duration startTimeout, boolean intercept) {
    this(nodes, mode, dir, startTimeout, intercept, "kvstore");
  }

  /** A mesh of the project's store on loopback. */
  public MeshOptions(int nodes, String mode, Path dir, Duration startTimeout) {
    this(nodes, mode, dir, startTimeout, false);
  }
}
