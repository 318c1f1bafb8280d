package io.outrigger.cli.mesh;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The network of a mesh with interception ({@code outrigger mesh up --intercept}): one network
 * namespace per node, each joined by a veth pair to a bridge in the host's namespace, as a pod
 * network is. The host keeps the bridge's first address ({@code P.1}) and runs the control plane
 * there; node {@code n}<i>i</i> is {@code P.(10+i)} with its default route through the host.
 * Nothing here touches the host's own routes or iptables rules: the interception rules live inside
 * each node's namespace and go with it.
 *
 * <p>Names derive from {@code id}, four hex digits of the mesh folder's hash, so that two meshes in
 * two folders do not collide and a mesh found again in its folder names what it made: namespaces
 * {@code outrigger-ID-n1}, the bridge {@code orID}, the host ends of the veth pairs {@code orIDn1}
 * (interface names have at most 15 characters).
 *
 * @param id four hex digits
 * @param subnet the first three octets of the /24, e.g. {@code 10.213.7}
 * @param nodes the node names, in order
 */
public record MeshNetwork(String id, String subnet, List<String> nodes) {
  /** The group id the sidecars run with; the interception rules let its traffic pass. */
  static final int PROXY_GID = 1337;

  private static final Path IP = Path.of("/usr/sbin/ip");
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  public MeshNetwork {
    requireNonNull(id, "id");
    requireNonNull(subnet, "subnet");
    nodes = List.copyOf(nodes);
  }

  /**
   * A network for the mesh in {@code dir}: names from the folder's hash, and the first subnet
   * {@code 10.213.X.0/24} from the hash on that no interface of this host uses yet.
   */
  static MeshNetwork plan(Path dir, List<String> nodes) {
    return plan(dir, nodes, subnetsInUse());
  }

  /** {@link #plan(Path, List)}, with the {@code 10.213.X} octets {@code X} already in use. */
  static MeshNetwork plan(Path dir, List<String> nodes, java.util.Set<Integer> inUse) {
    int hash = dir.toAbsolutePath().normalize().toString().hashCode();
    String id = String.format(Locale.ROOT, "%04x", hash & 0xffff);
    int first = (hash >>> 16) & 0xff;
    int octet = first;
    for (int i = 0; i < 256 && inUse.contains(octet); i++) {
      octet = (first + i + 1) & 0xff;
    }
    return new MeshNetwork(id, "10.213." + octet, nodes);
  }

  /** The octets {@code X} of the {@code 10.213.X.*} addresses this host's interfaces have. */
  private static java.util.Set<Integer> subnetsInUse() {
    java.util.Set<Integer> used = new java.util.HashSet<>();
    try {
      Process p = new ProcessBuilder(IP.toString(), "-o", "-4", "addr", "show").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("inet 10\\.213\\.(\\d+)\\.").matcher(out);
      while (m.find()) {
        used.add(Integer.parseInt(m.group(1)));
      }
    } catch (IOException e) {
      // No ip: checkPrerequisites says so before anything is made.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return used;
  }

  /** The host's address on the bridge: where the control plane listens for the sidecars. */
  public String hostAddress() {
    return subnet + ".1";
  }

  /** The address of node {@code name} ({@code n3} is {@code P.13}). */
  public String address(String node) {
    return subnet + "." + (10 + index(node) + 1);
  }

  String namespace(String node) {
    return "outrigger-" + id + "-" + node;
  }

  String bridge() {
    return "or" + id;
  }

  private String hostVeth(String node) {
    return "or" + id + node;
  }

  private int index(String node) {
    int i = nodes.indexOf(node);
    if (i < 0) {
      throw new IllegalArgumentException("node: " + node + " (expected one of " + nodes + ")");
    }
    return i;
  }

  /**
   * Fails with what is missing when this machine cannot make the network: root, {@code ip}, {@code
   * iptables} and {@code setpriv} are needed.
   */
  static void checkPrerequisites() throws MeshException {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root (network namespaces and iptables need CAP_NET_ADMIN and CAP_SYS_ADMIN)");
    }
    for (Path tool : List.of(IP, SETPRIV, Path.of("/usr/sbin/iptables"))) {
      if (!Files.isExecutable(tool)) {
        missing.add(tool + " (Debian: apt-get install -y iproute2 iptables util-linux)");
      }
    }
    if (!missing.isEmpty()) {
      throw new MeshException("mesh up --intercept needs " + String.join("; ", missing));
    }
  }

  /**
   * Makes the bridge, one namespace per node with its loopback up, and the veth pairs with their
   * addresses and routes. Refuses when the bridge exists already (another mesh, or one not taken
   * down). On failure what was made is removed again.
   */
  void create() throws MeshException {
    if (Files.exists(Path.of("/sys/class/net", bridge()))) {
      throw new MeshException(
          "interface "
              + bridge()
              + " exists: a mesh with interception from this folder still runs, or was not taken"
              + " down (`outrigger mesh down`)");
    }
    try {
      ip("link", "add", bridge(), "type", "bridge");
      ip("addr", "add", hostAddress() + "/24", "dev", bridge());
      ip("link", "set", bridge(), "up");
      for (String node : nodes) {
        String ns = namespace(node);
        ip("netns", "add", ns);
        ip("-n", ns, "link", "set", "lo", "up");
        ip("link", "add", hostVeth(node), "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("link", "set", hostVeth(node), "master", bridge(), "up");
        ip("-n", ns, "addr", "add", address(node) + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "route", "add", "default", "via", hostAddress());
      }
    } catch (MeshException e) {
      remove();
      throw e;
    }
  }

  /**
   * Removes the namespaces (their rules and the veth ends in them go too) and the bridge; what is
   * gone already is skipped.
   *
   * @return how many of them existed
   */
  int remove() {
    int removed = 0;
    for (String node : nodes) {
      if (Files.exists(Path.of("/run/netns", namespace(node)))) {
        removed += quietly("netns", "delete", namespace(node)) ? 1 : 0;
      }
    }
    if (Files.exists(Path.of("/sys/class/net", bridge()))) {
      removed += quietly("link", "delete", bridge()) ? 1 : 0;
    }
    return removed;
  }

  /** The command prefix that runs a program in {@code node}'s namespace. */
  List<String> inNamespace(String node) {
    return List.of(IP.toString(), "netns", "exec", namespace(node));
  }

  /**
   * The command prefix that runs a sidecar in {@code node}'s namespace with group {@link
   * #PROXY_GID}, whose connections the interception rules let out unredirected.
   */
  List<String> sidecarInNamespace(String node) {
    List<String> cmd = new ArrayList<>(inNamespace(node));
    cmd.addAll(List.of(SETPRIV.toString(), "--regid=" + PROXY_GID, "--clear-groups"));
    return cmd;
  }

  private static void ip(String... args) throws MeshException {
    List<String> cmd = new ArrayList<>();
    cmd.add(IP.toString());
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static boolean quietly(String... args) {
    try {
      ip(args);
      return true;
    } catch (MeshException e) {
      return false;
    }
  }

  /** Runs {@code cmd} to its end (at most 10 s); fails with its output when it fails. */
  static void run(List<String> cmd) throws MeshException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new MeshException(String.join(" ", cmd) + ": no answer in 10 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new MeshException(String.join(" ", cmd) + ": " + out);
      }
    } catch (IOException e) {
      throw new MeshException(String.join(" ", cmd) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException(String.join(" ", cmd) + ": interrupted");
    }
  }
}
