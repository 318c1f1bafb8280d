package io.outrigger.cli.iptables;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code iptables-save -t nat} and {@code iptables-restore --noflush} in this process's
 * network namespace. The checks come first so that a missing tool or capability is named, rather
 * than reported as whatever iptables prints.
 */
public final class Iptables {
  /** {@code CAP_NET_ADMIN}'s bit in {@code CapEff} (linux/capability.h). */
  static final int CAP_NET_ADMIN = 12;

  private static final long TIMEOUT_SECONDS = 30;

  private final String path;
  private final Path procStatus;

  /**
   * @param path the {@code PATH} to find the iptables tools on
   * @param procStatus this process's {@code /proc/self/status}, for its capabilities
   */
  public Iptables(String path, Path procStatus) {
    this.path = path == null ? "" : path;
    this.procStatus = procStatus;
  }

  /** The system's: {@code $PATH} and {@code /proc/self/status}. */
  public static Iptables system() {
    return new Iptables(System.getenv("PATH"), Path.of("/proc/self/status"));
  }

  /** The nat table as {@code iptables-save -t nat} prints it. */
  public String saveNat() throws IptablesException {
    return run(List.of(tool("iptables-save"), "-t", "nat"), null);
  }

  /** Applies {@code script} atomically, leaving every other rule as it is. */
  public void restore(String script) throws IptablesException {
    run(List.of(tool("iptables-restore"), "--noflush"), script);
  }

  /** Fails unless this process has {@code CAP_NET_ADMIN} in its effective set. */
  public void checkNetAdmin() throws IptablesException {
    String status;
    try {
      status = Files.readString(procStatus);
    } catch (IOException e) {
      return; // Not Linux's /proc: let iptables answer for itself.
    }
    if (!hasCapability(status, CAP_NET_ADMIN)) {
      throw missingNetAdmin();
    }
  }

  /**
   * Whether the {@code CapEff} line of a {@code /proc/PID/status} text has capability {@code bit}.
   */
  static boolean hasCapability(String procStatus, int bit) {
    return procStatus
        .lines()
        .filter(l -> l.startsWith("CapEff:"))
        .findFirst()
        .map(l -> Long.parseUnsignedLong(l.substring("CapEff:".length()).trim(), 16))
        .map(mask -> (mask & (1L << bit)) != 0)
        .orElse(true);
  }

  private String tool(String name) throws IptablesException {
    return find(name)
        .orElseThrow(
            () ->
                new IptablesException(
                    name
                        + " not found on PATH: install iptables in the image that runs"
                        + " `outrigger iptables` (Debian: apt-get install iptables)"));
  }

  private Optional<String> find(String name) {
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name).toString());
      }
    }
    return Optional.empty();
  }

  private static String run(List<String> command, String stdin) throws IptablesException {
    String name = Path.of(command.get(0)).getFileName().toString();
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IptablesException(name + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw failure(name, p.exitValue(), out);
      }
      return out;
    } catch (IOException e) {
      throw new IptablesException(name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IptablesException(name + ": interrupted");
    }
  }

  private static IptablesException failure(String name, int exit, String out) {
    if (out.contains("Permission denied") || out.contains("you must be root")) {
      return missingNetAdmin();
    }
    String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
    return new IptablesException(name + " failed (exit " + exit + "): " + first.strip());
  }

  private static IptablesException missingNetAdmin() {
    return new IptablesException(
        "the NET_ADMIN capability is missing: run it as root in the workload's network namespace,"
            + " or give the init container NET_ADMIN and NET_RAW");
  }
}
