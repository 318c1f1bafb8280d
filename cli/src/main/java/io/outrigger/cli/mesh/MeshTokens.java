package io.outrigger.cli.mesh;

import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.TokenFile;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The credentials of a mesh, new at every {@code mesh up}, in {@code tokens/} of the mesh folder,
 * every file owner-only (0600):
 *
 * <ul>
 *   <li>{@code control-plane.tokens}: the control plane's token file ({@code --tokens}), hashes
 *       only;
 *   <li>{@code n1.token} …: each sidecar's bootstrap token, which its bootstrap also carries in
 *       {@code initial_metadata} (identity {@code default/<node>}, node group {@code <node>});
 *   <li>{@code api.token}: the API token of {@code outrigger mesh} and {@code outrigger cp
 *       --mesh-dir} (scopes status, faults, resources);
 *   <li>{@code lab.token}: the partition lab's own API token (scopes status, faults);
 *   <li>{@code status.token}, in a container mesh only ({@code mesh containers-config}): an API
 *       token of scope status for Prometheus's scrapes of {@code /metrics} and the control plane's
 *       health check.
 * </ul>
 */
public final class MeshTokens {
  private MeshTokens() {}

  /** The folder of {@code meshDir}'s tokens. */
  public static Path dir(Path meshDir) {
    return meshDir.resolve("tokens");
  }

  static Path controlPlaneFile(MeshState mesh) {
    return dir(mesh.path()).resolve("control-plane.tokens");
  }

  static Path nodeFile(MeshState mesh, String node) {
    return dir(mesh.path()).resolve(node + ".token");
  }

  /** The API token file of the mesh in {@code meshDir}: every scope. */
  public static Path apiFile(Path meshDir) {
    return dir(meshDir).resolve("api.token");
  }

  /** The lab token file of the mesh in {@code meshDir}: scopes status and faults. */
  public static Path labFile(Path meshDir) {
    return dir(meshDir).resolve("lab.token");
  }

  /** The status token file of a container mesh in {@code meshDir}: scope status. */
  static Path statusFile(Path meshDir) {
    return dir(meshDir).resolve("status.token");
  }

  /**
   * Whether {@code mesh} has every token file {@link #write(MeshState, RandomGenerator, boolean,
   * String)} writes, so that a control plane started again keeps the tokens its sidecars hold.
   */
  static boolean complete(MeshState mesh, boolean withStatus) {
    List<Path> files = new ArrayList<>();
    files.add(controlPlaneFile(mesh));
    files.add(apiFile(mesh.path()));
    files.add(labFile(mesh.path()));
    if (withStatus) {
      files.add(statusFile(mesh.path()));
    }
    for (MeshState.Node node : mesh.nodes()) {
      files.add(nodeFile(mesh, node.name()));
    }
    return files.stream().allMatch(Files::isRegularFile);
  }

  /**
   * Makes new tokens for every node, the API and the lab, and the control plane's file granting
   * them.
   *
   * @return each node's token, by node name
   */
  static Map<String, String> write(MeshState mesh, RandomGenerator random) throws IOException {
    return write(mesh, random, false, "`outrigger mesh up`");
  }

  /**
   * Makes new tokens for every node, the API and the lab, with {@code withStatus} also {@code
   * status.token}, and the control plane's file granting them.
   *
   * @param writer who wrote the files, for the token file's first line
   * @return each node's token, by node name
   */
  static Map<String, String> write(
      MeshState mesh, RandomGenerator random, boolean withStatus, String writer)
      throws IOException {
    Files.createDirectories(dir(mesh.path()));
    List<String> lines = new ArrayList<>();
    lines.add("# Written by " + writer + ": the tokens of this mesh, by hash.");
    Map<String, String> nodes = new LinkedHashMap<>();
    for (MeshState.Node node : mesh.nodes()) {
      String token = TokenFile.newToken(random);
      nodes.put(node.name(), token);
      writePrivate(nodeFile(mesh, node.name()), token + "\n");
      lines.add(
          TokenFile.nodeLine(
                  token, new WorkloadIdentity(WorkloadIdentity.DEFAULT_NAMESPACE, node.name()))
              + "  # "
              + node.name());
    }
    String api = TokenFile.newToken(random);
    writePrivate(apiFile(mesh.path()), api + "\n");
    lines.add(TokenFile.apiLine(api, Set.of(Scope.values())) + "  # api.token");
    String lab = TokenFile.newToken(random);
    writePrivate(labFile(mesh.path()), lab + "\n");
    lines.add(TokenFile.apiLine(lab, Set.of(Scope.STATUS, Scope.FAULTS)) + "  # lab.token");
    if (withStatus) {
      String status = TokenFile.newToken(random);
      writePrivate(statusFile(mesh.path()), status + "\n");
      lines.add(TokenFile.apiLine(status, Set.of(Scope.STATUS)) + "  # status.token");
    }
    writePrivate(controlPlaneFile(mesh), String.join("\n", lines) + "\n");
    return nodes;
  }

  /** The token in {@code file}, without its line end. */
  public static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }

  /** The API token of {@code mesh}. */
  static String api(MeshState mesh) throws IOException {
    return read(apiFile(mesh.path()));
  }

  /** The lab's token of the mesh in {@code meshDir}. */
  public static String lab(Path meshDir) throws IOException {
    return read(labFile(meshDir));
  }

  /** Writes {@code text} to a file only its owner may read, created so before anything is in it. */
  public static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text);
  }
}
