package io.outrigger.cli.mesh;

import io.outrigger.certs.MeshCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The mesh of {@code docker/compose.yaml} as its control plane sees it: every node in its own
 * network namespace on the same ports, peers found by container name. {@code outrigger mesh
 * containers-config} writes its resources and CA inside the control plane's container; the host
 * side (published ports) is {@code docker/mesh.json}.
 *
 * <p>With interception ({@link #planIntercepted}, {@code docker/compose-intercept.yaml}) every node
 * is a pod at a fixed address on the compose network, its replica unchanged on {@code 0.0.0.0:8080}
 * calling its peers at their plain addresses, and {@code outrigger iptables} ({@link
 * #iptablesArgs()}, in a one-shot container with {@code NET_ADMIN}) sending that traffic to the
 * sidecar's {@code 15001} and {@code 15006}, as {@code mesh up --intercept} does in namespaces of
 * its own; the resources are those of {@link InterceptResources}.
 *
 * <p>Credentials: the tokens of {@link MeshTokens} (with {@code status.token}) in the mesh folder's
 * {@code tokens/}, made once and kept, so that a control plane started again serves the sidecars
 * that hold them; and, in a credentials folder the other containers mount, what they need of them:
 * the mesh CA's certificate {@code ca.pem} (0644), each node's token {@code <node>.token} (0600,
 * the sidecars run as the image's user, who owns them) and {@code status.token} (0640: the image's
 * group, which Prometheus is given). Each file is written beside and renamed into place, so a
 * sidecar waiting for it never reads half of one.
 */
final class ContainerMesh {
  /** The replica's port in its node's namespace; only its sidecar reaches it. */
  static final int STORE_PORT = 8080;

  static final int ADMIN_PORT = 9901;
  static final int INBOUND_PORT = 10000;
  static final int OUTBOUND_PORT = 10001;
  static final int XDS_PORT = 18000;
  static final int HTTP_PORT = 18001;

  /** Where a Linux container finds its routes, the default gateway among them. */
  static final Path ROUTES = Path.of("/proc/net/route");

  private static final String LOOPBACK_RANGE = "127.0.0.0/8";
  private static final Pattern SUBNET = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern IPV4_RANGE =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/(\\d{1,2}))?");

  private ContainerMesh() {}

  /**
   * The clients the sidecars' plaintext inbound chain serves, from {@code --plaintext-from}: {@code
   * any}: whoever reaches it (empty list, no filter); {@code auto}: loopback (the node's own
   * namespace) and this container's default gateway, read from {@code routes}, the address the
   * engine's port forwards come from (measured with podman 4.3); else IPv4 ranges, comma separated,
   * a bare address meaning /32.
   */
  static List<String> plaintextClients(String spec, Path routes) throws IOException {
    if (spec.equals("any")) {
      return List.of();
    }
    if (spec.equals("auto")) {
      List<String> clients = new ArrayList<>(List.of(LOOPBACK_RANGE));
      defaultGateway(routes).ifPresent(gateway -> clients.add(gateway + "/32"));
      return clients;
    }
    List<String> clients = new ArrayList<>();
    for (String part : spec.split(",")) {
      var m = IPV4_RANGE.matcher(part.strip());
      boolean valid = m.matches();
      for (int i = 1; valid && i <= 4; i++) {
        valid = Integer.parseInt(m.group(i)) <= 255;
      }
      if (valid && m.group(6) != null) {
        valid = Integer.parseInt(m.group(6)) <= 32;
      }
      if (!valid) {
        throw new IllegalArgumentException(
            "--plaintext-from: \""
                + part.strip()
                + "\" (expected: auto, any, or IPv4 ranges such as 127.0.0.0/8,10.89.0.1)");
      }
      clients.add(m.group(6) == null ? part.strip() + "/32" : part.strip());
    }
    return clients;
  }

  /** The default route's gateway in {@code routes} (Linux's /proc/net/route), if there is one. */
  static java.util.Optional<String> defaultGateway(Path routes) throws IOException {
    if (!Files.isReadable(routes)) {
      return java.util.Optional.empty();
    }
    for (String line : Files.readAllLines(routes)) {
      String[] f = line.trim().split("\\s+");
      // Iface Destination Gateway Flags ... Mask ...: destination and mask 0, gateway set.
      if (f.length >= 8
          && f[1].equals("00000000")
          && f[7].equals("00000000")
          && !f[2].equals("00000000")) {
        int v = Integer.parseUnsignedInt(f[2], 16); // little-endian
        return java.util.Optional.of(
            (v & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 24));
      }
    }
    return java.util.Optional.empty();
  }

  /** The mesh of {@code nodes} nodes {@code n1..nN}, its files under {@code dir}. */
  static MeshState plan(int nodes, String mode, Path dir) {
    checkNodes(nodes);
    List<MeshState.Node> list = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      list.add(
          new MeshState.Node(
              "n" + i, STORE_PORT, ADMIN_PORT, INBOUND_PORT, OUTBOUND_PORT, null, null));
    }
    return containerMesh(mode, dir, list);
  }

  /**
   * The mesh of {@code nodes} pods with interception: node {@code nK} at {@code subnet.(10+K)} (as
   * in {@code mesh up --intercept}), its replica on {@link #STORE_PORT}, the sidecar's admin on
   * {@link #ADMIN_PORT} (excluded from the rules), outbound {@link InterceptMesh#OUTBOUND_PORT},
   * inbound {@link InterceptMesh#INBOUND_PORT}.
   *
   * @param subnet the first three octets of the compose network's /24, e.g. {@code 10.214.16}
   */
  static MeshState planIntercepted(int nodes, String mode, Path dir, String subnet) {
    checkNodes(nodes);
    if (nodes > 240) {
      throw new IllegalArgumentException("--nodes: " + nodes + " (expected: 1..240 with --subnet)");
    }
    if (!SUBNET.matcher(subnet).matches()
        || Arrays.stream(subnet.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
      throw new IllegalArgumentException(
          "--subnet: \""
              + subnet
              + "\" (expected: the first three octets of a /24, e.g. 10.214.16)");
    }
    List<MeshState.Node> list = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      list.add(
          new MeshState.Node(
              "n" + i,
              STORE_PORT,
              ADMIN_PORT,
              InterceptMesh.INBOUND_PORT,
              InterceptMesh.OUTBOUND_PORT,
              null,
              null,
              subnet + "." + (10 + i)));
    }
    return containerMesh(mode, dir, list);
  }

  /**
   * The arguments of {@code outrigger iptables} in every pod of {@link #planIntercepted}: the
   * sidecar runs with group {@link MeshNetwork#PROXY_GID}, as in {@code mesh up --intercept}, so
   * that the replica may keep the image's user; its admin port stays reachable (health checks,
   * Prometheus, the host's {@code mesh status}).
   */
  static List<String> iptablesArgs() {
    return List.of(
        "iptables",
        "--inbound-port",
        String.valueOf(InterceptMesh.INBOUND_PORT),
        "--outbound-port",
        String.valueOf(InterceptMesh.OUTBOUND_PORT),
        "--proxy-gid",
        String.valueOf(MeshNetwork.PROXY_GID),
        "--exclude-inbound-ports",
        String.valueOf(ADMIN_PORT));
  }

  private static void checkNodes(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes: " + nodes + " (expected: 1 or more)");
    }
  }

  private static MeshState containerMesh(String mode, Path dir, List<MeshState.Node> list) {
    return new MeshState(
        mode,
        dir.toAbsolutePath().normalize().toString(),
        new MeshState.ControlPlane(XDS_PORT, HTTP_PORT, null),
        list,
        true,
        null,
        null);
  }

  /**
   * Writes the CA and the tokens (both kept when there), every node's resources and, when {@code
   * credentials} is not null, the files the sidecars and Prometheus read into that folder; returns
   * the resource folder. The resources are those of {@link InterceptResources} when every node has
   * an address ({@link #planIntercepted}).
   *
   * @param plaintextClients see {@link #plaintextClients}
   */
  static Path write(MeshState mesh, Path credentials, List<String> plaintextClients)
      throws IOException {
    boolean intercepted = mesh.nodes().stream().allMatch(n -> n.address() != null);
    MeshFiles.writeControlPlane(mesh, MeshLayout.containers(plaintextClients), intercepted);
    if (!MeshTokens.complete(mesh, true)) {
      MeshTokens.write(mesh, new SecureRandom(), true, "`outrigger mesh containers-config`");
    }
    if (credentials != null) {
      publish(mesh, credentials);
    }
    return MeshFiles.resources(mesh);
  }

  /** The credentials folder's files, the CA first, so that the tokens come last. */
  private static void publish(MeshState mesh, Path credentials) throws IOException {
    Files.createDirectories(credentials);
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rwxr-x---"));
    copy(MeshFiles.caDir(mesh).resolve(MeshCa.CA_CERT_FILE), credentials, "rw-r--r--");
    for (MeshState.Node node : mesh.nodes()) {
      copy(MeshTokens.nodeFile(mesh, node.name()), credentials, "rw-------");
    }
    copy(MeshTokens.statusFile(mesh.path()), credentials, "rw-r-----");
  }

  /** Copies {@code file} into {@code dir} with {@code mode}, renamed into place. */
  private static void copy(Path file, Path dir, String mode) throws IOException {
    Path target = dir.resolve(file.getFileName());
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, Files.readAllBytes(file));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
