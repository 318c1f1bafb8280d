package io.outrigger.cli.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Loopback ports for the processes of one mesh, chosen before they start: distinct from each other,
 * free when chosen, and below the kernel's ephemeral range.
 *
 * <p>Not {@code bind(0)}: that hands out a port from the ephemeral range, and between the choice
 * and the process's own bind a second or two later, with eight JVMs starting, the kernel may give
 * the same port to an outgoing connection or to the next {@code bind(0)}; a sidecar then failed its
 * start with "address already in use" (seen in CI). Below the ephemeral range the kernel picks no
 * port by itself, so a port free now stays free unless someone asks for it by number. The process
 * tests choose their sidecars' ports the same way ({@code SidecarProcess.freePort}).
 */
public final class LoopbackPorts {
  /** The lowest port chosen: above the usual fixed ports of services and examples. */
  static final int LOW = 20_000;

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

  private final RandomGenerator random;
  private final int high;
  private final Set<Integer> chosen = new HashSet<>();

  /**
   * @param random where in the range to look first
   * @param ephemeralLow the first port of the kernel's ephemeral range; ports are chosen below it
   */
  LoopbackPorts(RandomGenerator random, int ephemeralLow) {
    this.random = random;
    this.high = ephemeralLow - 1;
  }

  /** For this machine: below its ephemeral range as {@code /proc} gives it. */
  public static LoopbackPorts forThisMachine(RandomGenerator random) {
    return new LoopbackPorts(random, ephemeralLow());
  }

  /** A port no earlier call returned, and free on loopback now. */
  public int next() {
    if (high > LOW) {
      for (int attempt = 0; attempt < 1_000; attempt++) {
        int port = LOW + random.nextInt(high - LOW + 1);
        if (!chosen.contains(port) && isFree(port)) {
          chosen.add(port);
          return port;
        }
      }
    }
    // No usable range below the ephemeral one (a tuned kernel): the kernel's choice, distinct.
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = anyFreePort();
      if (chosen.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on loopback");
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int anyFreePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  static int ephemeralLow() {
    try {
      // Not readString: for this /proc file it returned a truncated first number here ("3").
      String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }
}
