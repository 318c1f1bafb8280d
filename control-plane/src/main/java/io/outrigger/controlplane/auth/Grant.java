package io.outrigger.controlplane.auth;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** What one token lets its holder do; the token itself is known only by its hash. */
public sealed interface Grant permits Grant.NodeGrant, Grant.ApiGrant {
  /** The SHA-256 of the token, hex ({@link TokenFile#hash}). */
  String tokenHash();

  /**
   * A sidecar's bootstrap token: it may open discovery streams as a node whose {@code node.cluster}
   * is {@code cluster} and whose identity is {@code identity}, and only that identity is issued to
   * it.
   *
   * @param tokenHash see {@link Grant#tokenHash()}
   * @param identity the only workload identity served to the holder
   * @param cluster the only {@code node.cluster} (node group) the holder may claim
   */
  record NodeGrant(String tokenHash, WorkloadIdentity identity, String cluster) implements Grant {
    public NodeGrant {
      requireNonNull(tokenHash, "tokenHash");
      requireNonNull(identity, "identity");
      requireNonNull(cluster, "cluster");
    }
  }

  /**
   * An HTTP API token.
   *
   * @param tokenHash see {@link Grant#tokenHash()}
   * @param scopes what it may do; not empty
   */
  record ApiGrant(String tokenHash, Set<Scope> scopes) implements Grant {
    public ApiGrant {
      requireNonNull(tokenHash, "tokenHash");
      scopes = Set.copyOf(requireNonNull(scopes, "scopes"));
      if (scopes.isEmpty()) {
        throw new IllegalArgumentException("scopes: empty (expected: at least one)");
      }
    }
  }
}
