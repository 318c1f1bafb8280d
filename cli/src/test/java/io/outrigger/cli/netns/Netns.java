package io.outrigger.cli.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One network namespace of a {@link NetnsKit}: runs commands in it ({@code ip netns exec}), starts
 * processes that the kit stops, and dials TCP from it with bash's {@code /dev/tcp}, optionally as
 * another user or group.
 */
public final class Netns {
  private static final long TIMEOUT_SECONDS = 60;

  private final String name;
  private final List<Process> processes = new ArrayList<>();

  Netns(String name) {
    this.name = name;
  }

  /** The name {@code ip netns} knows it by. */
  public String name() {
    return name;
  }

  /** Runs {@code command} in this namespace and waits for it (a minute at most). */
  public Result exec(String... command) {
    return exec(List.of(command), null);
  }

  /** Runs {@code command} here with {@code stdin} as its input. */
  public Result exec(List<String> command, String stdin) {
    return run(inside(command), stdin);
  }

  /**
   * Starts {@code command} here in the background (its errors go to the test's) and waits until it
   * prints {@code readyLine} on its first line; the kit stops it on close.
   */
  public Process start(List<String> command, String readyLine) {
    try {
      Process p =
          new ProcessBuilder(inside(command))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      processes.add(p);
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first =
          CompletableFuture.supplyAsync(() -> readLine(out)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!readyLine.equals(first)) {
        throw new IllegalStateException(command + " printed " + first + ", not " + readyLine);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(command + " did not get ready", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Connects from here to {@code host:port} as {@code user} (a prefix such as {@code setpriv
   * --reuid 1337 ...}, or none), and returns what the server wrote before closing, or the error.
   */
  public String dial(String host, int port, String... user) {
    List<String> command = new ArrayList<>(List.of(user));
    command.addAll(
        List.of(
            "timeout",
            "10",
            "bash",
            "-c",
            "exec 3<>/dev/tcp/" + host + "/" + port + " && cat <&3"));
    Result r = exec(command, null);
    return r.exit() == 0 ? r.out().strip() : "failed: " + r.err().strip();
  }

  /** A {@link #dial} prefix that runs the client as {@code uid} and {@code gid}. */
  public static String[] as(int uid, int gid) {
    return new String[] {"setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"};
  }

  void stopAll() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  private List<String> inside(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return full;
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Result run(List<String> command) {
    return run(command, null);
  }

  static Result run(List<String> command, String stdin) {
    try {
      Path out = Files.createTempFile("netns-out", ".txt");
      Path err = Files.createTempFile("netns-err", ".txt");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try (var in = p.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A finished command: its exit status and what it printed. */
  public record Result(List<String> command, int exit, String out, String err) {
    /** This result, or an exception naming the command and its error output when it failed. */
    public Result check() {
      if (exit != 0) {
        throw new IllegalStateException(command + " exited " + exit + ": " + err.strip());
      }
      return this;
    }
  }
}
