package io.outrigger.cli.mesh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the processes of a mesh and stops exactly those. Each one runs this same {@code outrigger}
 * (the running JVM's {@code java} and class path), in a session of its own ({@code setsid}, when
 * the machine has it) so that a Ctrl-C in the terminal that ran {@code mesh up} does not reach
 * them, with its output in a log file under the mesh folder.
 *
 * <p>JVM options are chosen for seven or more JVMs sharing a laptop's cores: a small heap, the
 * serial collector and the client compiler only, which start fast and stay small. They are for a
 * demo and a lab, not for a benchmark; {@code OUTRIGGER_MESH_JAVA_OPTS} replaces them.
 *
 * <p>With those defaults, the processes also map the class-data archive that this JVM maps (the one
 * {@code bin/outrigger} or the image gives it), at the address it was written for: {@link
 * #sharedArchive}.
 */
final class MeshProcesses {
  static final List<String> DEFAULT_JAVA_OPTS =
      List.of(
          "-Xms32m",
          "-Xmx160m",
          "-XX:MaxDirectMemorySize=64m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:+PerfDisableSharedMem");

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private MeshProcesses() {}

  /**
   * Starts {@code outrigger ARGS} with its output appended to {@code log}.
   *
   * @return what names the process for {@link #stop}
   */
  static MeshState.Started start(Path log, List<String> args) throws IOException {
    return start(log, List.of(), args);
  }

  /**
   * Starts {@code outrigger ARGS} behind {@code prefix} (a command that execs the next one in
   * place, such as {@code ip netns exec NS}, so that the process keeps its PID).
   */
  static MeshState.Started start(Path log, List<String> prefix, List<String> args)
      throws IOException {
    return startCommand(log, command(prefix, List.of(), args));
  }

  /** As {@link #start(Path, List, List)}, with {@code jvmOptions} after the defaults. */
  static MeshState.Started start(
      Path log, List<String> prefix, List<String> jvmOptions, List<String> args)
      throws IOException {
    return startCommand(log, command(prefix, jvmOptions, args));
  }

  /** Starts {@code command} (any program: an etcd member, say) as {@link #start} does. */
  static MeshState.Started startCommand(Path log, List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(command);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    long startMillis =
        p.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
    return new MeshState.Started(p.pid(), startMillis, log.toString());
  }

  /** The live process that {@code started} names; empty once it exited (or its PID was reused). */
  static Optional<ProcessHandle> find(MeshState.Started started) {
    if (started == null) {
      return Optional.empty();
    }
    return ProcessHandle.of(started.pid())
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .startInstant()
                    .map(t -> Math.abs(t.toEpochMilli() - started.startMillis()) < 2_000)
                    .orElse(false));
  }

  static boolean alive(MeshState.Started started) {
    return find(started).isPresent();
  }

  /**
   * Stops the processes: SIGTERM to all, then SIGKILL to those still alive after {@code grace}.
   *
   * @return how many were running
   */
  static int stop(List<MeshState.Started> processes, Duration grace) {
    List<ProcessHandle> running = new ArrayList<>();
    for (MeshState.Started s : processes) {
      find(s).ifPresent(running::add);
    }
    running.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : running) {
      long left = deadline - System.nanoTime();
      try {
        h.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    return running.size();
  }

  /** {@code prefix}, then this {@code outrigger} with {@code args}: the JVM, its options, class. */
  static List<String> command(List<String> prefix, List<String> args) {
    return command(prefix, List.of(), args);
  }

  private static List<String> command(
      List<String> prefix, List<String> jvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(javaBinary());
    cmd.addAll(javaOpts());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.outrigger.cli.Outrigger");
    cmd.addAll(args);
    return cmd;
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static List<String> javaOpts() {
    String custom = System.getenv("OUTRIGGER_MESH_JAVA_OPTS");
    if (custom != null && !custom.isBlank()) {
      return List.of(custom.trim().split("\\s+"));
    }
    List<String> opts = new ArrayList<>(DEFAULT_JAVA_OPTS);
    opts.addAll(sharedArchive(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    return opts;
  }

  /**
   * The options that map, in a process of the mesh, the class-data archive that a JVM started with
   * {@code jvmArguments} maps: none when it maps none. The processes run the same jar on the same
   * JVM, so the archive fits them.
   *
   * <p>The archive is mapped at the address it was written for ({@code ArchiveRelocationMode=0},
   * Java 17's original default; this JDK relocates it by default, for address-space randomization).
   * Relocated, every page of it is written to and so private to each process; at its address, its
   * pages stay clean and the page cache shares them between the seven JVMs. Measured on a
   * three-node mesh five seconds after {@code mesh up} (docs/benchmarks.md, session 18): the
   * processes' proportional set sizes add up to 531 to 536 MiB, against 631 without the archive and
   * 662 with it relocated, and the mesh is up about 4 s sooner. A fixed address for the class
   * metadata is fine for a laptop's mesh; {@code bin/outrigger} and the image keep the JDK's
   * default.
   */
  static List<String> sharedArchive(List<String> jvmArguments) {
    String archive = null;
    for (String a : jvmArguments) {
      if (a.startsWith("-XX:SharedArchiveFile=")) {
        archive = a;
      } else if (a.equals("-Xshare:off")) {
        return List.of();
      }
    }
    return archive == null
        ? List.of()
        : List.of(archive, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
  }
}
