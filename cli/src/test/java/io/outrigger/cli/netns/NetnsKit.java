package io.outrigger.cli.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Network namespaces for process tests: each uniquely named ({@code otk<pid>-<n>-<label>}), joined
 * by veth pairs or a bridge with addresses that exist only inside them, and every one removed by
 * {@link #close()} (processes first), even when the test failed. A JVM shutdown hook removes what a
 * killed test left, and a new kit removes what a dead JVM left.
 *
 * <p>Needs root and {@code ip}; tests check {@link #available()} in an assumption.
 */
public final class NetnsKit implements AutoCloseable {
  private static final String PREFIX = "otk";
  private static final Pattern OURS = Pattern.compile(PREFIX + "(\\d+)-.*");
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(NetnsKit::deleteQuietly), "netns-cleanup"));
  }

  private final List<Netns> namespaces = new ArrayList<>();

  private NetnsKit() {}

  /** Whether this machine can run the namespace tests: root, with {@code ip} and iptables. */
  public static boolean available() {
    return isRoot() && onPath("ip") && onPath("iptables-restore") && onPath("setpriv");
  }

  /** A new kit, after removing the namespaces of kits whose JVM has died. */
  public static NetnsKit create() {
    removeOrphans();
    return new NetnsKit();
  }

  /** A new namespace with {@code lo} up; {@code label} (a few letters) only helps a reader. */
  public Netns namespace(String label) {
    String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-";
    name += label;
    LIVE.add(name);
    Netns ns = new Netns(name);
    namespaces.add(ns);
    Netns.run(List.of("ip", "netns", "add", name)).check();
    ns.exec("ip", "link", "set", "lo", "up").check();
    return ns;
  }

  /**
   * A veth pair between {@code a} and {@code b}, up, with {@code cidrsA} on a's end and {@code
   * cidrsB} on b's (e.g. {@code 10.77.0.1/24}). Created inside {@code a}, so nothing touches the
   * namespace the tests run in.
   */
  public void link(Netns a, List<String> cidrsA, Netns b, List<String> cidrsB) {
    String endA = "va" + COUNTER.incrementAndGet();
    String endB = "vb" + COUNTER.incrementAndGet();
    a.exec("ip", "link", "add", endA, "type", "veth", "peer", "name", endB, "netns", b.name())
        .check();
    up(a, endA, cidrsA);
    up(b, endB, cidrsB);
  }

  /**
   * A namespace holding bridge {@code br0} that joins {@code members}, each through a veth pair,
   * with {@code cidrs.get(i)} on member i's end: a small LAN, as the mesh's nodes need.
   */
  public Netns bridge(String label, List<Netns> members, List<String> cidrs) {
    Netns hub = namespace(label);
    hub.exec("ip", "link", "add", "br0", "type", "bridge").check();
    hub.exec("ip", "link", "set", "br0", "up").check();
    for (int i = 0; i < members.size(); i++) {
      String port = "p" + COUNTER.incrementAndGet();
      String end = "eth" + COUNTER.incrementAndGet();
      hub.exec(
              "ip",
              "link",
              "add",
              port,
              "type",
              "veth",
              "peer",
              "name",
              end,
              "netns",
              members.get(i).name())
          .check();
      hub.exec("ip", "link", "set", port, "master", "br0", "up").check();
      up(members.get(i), end, List.of(cidrs.get(i)));
    }
    return hub;
  }

  private static void up(Netns ns, String dev, List<String> cidrs) {
    for (String cidr : cidrs) {
      ns.exec("ip", "addr", "add", cidr, "dev", dev).check();
    }
    ns.exec("ip", "link", "set", dev, "up").check();
  }

  /** Stops every process started in the namespaces, then deletes the namespaces. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (Netns ns : namespaces) {
      ns.stopAll();
    }
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      Netns ns = namespaces.get(i);
      try {
        Netns.run(List.of("ip", "netns", "delete", ns.name())).check();
        LIVE.remove(ns.name());
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    namespaces.clear();
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  private static void removeOrphans() {
    Path dir = Path.of("/run/netns");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> names = Files.list(dir)) {
      names
          .map(p -> p.getFileName().toString())
          .filter(NetnsKit::orphaned)
          .forEach(NetnsKit::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean orphaned(String name) {
    Matcher m = OURS.matcher(name);
    return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
  }

  private static void deleteQuietly(String name) {
    Netns.run(List.of("ip", "netns", "delete", name));
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(":"))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
  }
}
