package io.outrigger.cli;

import java.io.IOException;
import java.io.InputStream;
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
            + " replicated store of the partition lab.",
    subcommands = {
      ProxyCommand.class,
      ControlPlaneCommand.class,
      CpCommand.class,
      KvstoreCommand.class,
      io.outrigger.cli.mesh.MeshCommand.class,
      io.outrigger.cli.lab.LabCommand.class,
      CertsCommand.class,
      io.outrigger.cli.iptables.IptablesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Outrigger implements Runnable {
  /** Exit status for a refused configuration or bad usage. */
  public static final int EXIT_CONFIG = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command line with Outrigger's converters and exit codes, for main and for tests. */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new Outrigger());
    cli.registerConverter(java.time.Duration.class, new DurationConverter());
    cli.setExitCodeExceptionMapper(e -> EXIT_CONFIG);
    return cli;
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
