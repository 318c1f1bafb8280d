package io.outrigger.cli.mesh;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where the processes of a mesh find each other. {@link #LOOPBACK}: every process on this host's
 * loopback, each on its own port ({@code outrigger mesh up}). {@link #containers()}: one network
 * namespace per node shared by its sidecar and its replica (the pod pattern of {@code
 * docker/compose.yaml}); a sidecar listens on every interface and reaches a peer's sidecar by its
 * container name.
 *
 * @param listenHost where the sidecars' inbound listener binds
 * @param peerHostPrefix empty for loopback; else a peer's sidecar is {@code prefix + node name}
 * @param accessLogs whether the sidecars write access logs into the mesh folder's {@code logs/}
 * @param zipkinHost where the Zipkin collector is (port {@link #ZIPKIN_PORT}); empty: no tracing
 * @param plaintextClients the only source ranges ({@code 10.89.0.1/32}) the inbound listener's
 *     plaintext chain serves, through an {@code envoy.filters.network.rbac}; empty: whoever reaches
 *     the listener (on loopback, that is the host's own processes)
 */
record MeshLayout(
    String listenHost,
    String peerHostPrefix,
    boolean accessLogs,
    String zipkinHost,
    List<String> plaintextClients) {
  /** The processes of {@code outrigger mesh up}. */
  static final MeshLayout LOOPBACK = new MeshLayout("127.0.0.1", "", true, "", List.of());

  /** Zipkin's own port for its API and the spans it collects. */
  static final int ZIPKIN_PORT = 9411;

  /**
   * The container name of node {@code n1}'s sidecar in docker/compose.yaml is {@code outrigger-n1}.
   */
  static final String CONTAINER_PREFIX = "outrigger-";

  MeshLayout {
    requireNonNull(listenHost, "listenHost");
    requireNonNull(peerHostPrefix, "peerHostPrefix");
    requireNonNull(zipkinHost, "zipkinHost");
    plaintextClients = List.copyOf(plaintextClients);
  }

  /** The containers of docker/compose.yaml, with the Zipkin container {@code outrigger-zipkin}. */
  static MeshLayout containers() {
    return containers(List.of());
  }

  /** {@link #containers()}, the plaintext chain serving only {@code plaintextClients}. */
  static MeshLayout containers(List<String> plaintextClients) {
    return new MeshLayout(
        "0.0.0.0", CONTAINER_PREFIX, false, CONTAINER_PREFIX + "zipkin", plaintextClients);
  }

  /** The host a peer's sidecar is reached at: an address, or a name to resolve. */
  String peerHost(String node) {
    return peerHostPrefix.isEmpty() ? "127.0.0.1" : peerHostPrefix + node;
  }

  /** Whether the sidecars send spans to a Zipkin collector. */
  boolean tracesToZipkin() {
    return !zipkinHost.isEmpty();
  }

  /** Whether peers are found by name (a STRICT_DNS cluster) rather than by address. */
  boolean peersByName() {
    return !peerHostPrefix.isEmpty();
  }
}
