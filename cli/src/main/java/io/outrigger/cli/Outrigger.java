package io.outrigger.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code outrigger} command. Each capability is a subcommand; a subcommand appears here only
 * once it works.
 *
 * <p>Exit status: 0 on success and after a drain; 1 when the sidecar fails at run time; 2 for a
 * usage or configuration error.
 */
@Command(
    name = "outrigger",
    mixinStandardHelpOptions = true,
    versionProvider = Outrigger.Version.class,
    description =
        "A service-mesh sidecar configured with Envoy's v3 API, its control plane, and the"
            + " replicated store of the partition lab.")
public final class Outrigger implements Runnable {
  /** Exit status for a refused configuration or bad usage. */
  public static final int EXIT_CONFIG = 2;

  /**
   * The subcommands by name, in the order the usage lists them. Each is built only when needed:
   * picocli reads a command's options by reflection when it is added, and building all of them took
   * about 150 ms of a sidecar's start (docs/operations.md#start-up).
   */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    String first = args.length > 0 ? args[0] : "";
    if (first.equals("proxy")) {
      ConfigPreloader.start(List.of(args).subList(1, args.length), System.getenv());
    }
    System.exit(newCommandLine(first).execute(args));
  }

  /** The command line with every subcommand, Outrigger's converters and exit codes. */
  public static CommandLine newCommandLine() {
    return configure(addAll(new CommandLine(new Outrigger())));
  }

  /**
   * The command line for {@code outrigger first ...}: only that subcommand when {@code first} names
   * one, else every subcommand (for the usage, {@code help}, and the error that lists them).
   */
  static CommandLine newCommandLine(String first) {
    Class<?> only = SUBCOMMANDS.get(first);
    CommandLine cli = new CommandLine(new Outrigger());
    if (only != null) {
      cli.addSubcommand(only);
    } else {
      addAll(cli);
    }
    return configure(cli);
  }

  private static CommandLine addAll(CommandLine cli) {
    SUBCOMMANDS.values().forEach(cli::addSubcommand);
    cli.addSubcommand(CommandLine.HelpCommand.class);
    return cli;
  }

  // Converters and the exit-code mapper reach only the subcommands added before them.
  private static CommandLine configure(CommandLine cli) {
    cli.registerConverter(java.time.Duration.class, new DurationConverter());
    cli.setExitCodeExceptionMapper(e -> EXIT_CONFIG);
    return cli;
  }

  // Names written out, not read from each @Command: reading an annotation loads every class it
  // names, which is the work this map spares a sidecar (OutriggerCommandTest keeps them in step).
  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("proxy", ProxyCommand.class);
    m.put("control-plane", ControlPlaneCommand.class);
    m.put("cp", CpCommand.class);
    m.put("kvstore", KvstoreCommand.class);
    m.put("mesh", io.outrigger.cli.mesh.MeshCommand.class);
    m.put("lab", io.outrigger.cli.lab.LabCommand.class);
    m.put("certs", CertsCommand.class);
    m.put("iptables", io.outrigger.cli.iptables.IptablesCommand.class);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Outrigger.class.getResourceAsStream("/outrigger-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "outrigger " + p.getProperty("version", "unknown"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
