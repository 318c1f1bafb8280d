package io.outrigger.cli.mesh;

/**
 * One node as {@code mesh status} sees it.
 *
 * @param name the node
 * @param storeUrl the store through the node's sidecar (inbound listener)
 * @param adminUrl the sidecar's admin server
 * @param storeHealthy whether the store answered {@code /healthz} through the sidecar
 * @param sidecarReady whether the sidecar's {@code /ready} answered 200
 * @param sync the sidecar's xDS state at the control plane: {@code SYNCED}, the worst state of its
 *     resource types ({@code STALE}, {@code NACKED}, …), or {@code DISCONNECTED}
 * @param storeRunning whether the replica's process is alive
 * @param sidecarRunning whether the sidecar's process is alive
 */
public record NodeStatus(
    String name,
    String storeUrl,
    String adminUrl,
    boolean storeHealthy,
    boolean sidecarReady,
    String sync,
    boolean storeRunning,
    boolean sidecarRunning) {
  /** Everything up and in sync. */
  public boolean healthy() {
    return storeHealthy && sidecarReady && "SYNCED".equals(sync);
  }
}
