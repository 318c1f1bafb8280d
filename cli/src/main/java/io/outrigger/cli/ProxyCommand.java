package io.outrigger.cli;

import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.config.LoadedBootstrap;
import io.outrigger.proxy.admin.LogLevels;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import io.outrigger.proxy.stats.StatsFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outrigger proxy}: runs a sidecar from an Envoy v3 bootstrap file until told to stop. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a sidecar from an Envoy v3 bootstrap file.",
      "SIGTERM or SIGINT drains: listeners stop accepting, open connections get the drain time,"
          + " then the process exits 0."
    })
final class ProxyCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description =
          "Envoy v3 bootstrap YAML; ${VAR} and ${VAR:-default} are taken from the environment.")
  Path config;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description =
          "Event loops for the data path (default: the number of cores, ${DEFAULT-VALUE}).")
  int concurrency = Runtime.getRuntime().availableProcessors();

  @Option(
      names = {"-l", "--log-level"},
      paramLabel = "LEVEL",
      description =
          "trace, debug, info, warning, error, critical or off (default: ${DEFAULT-VALUE}).")
  String logLevel = "info";

  @Option(
      names = "--csr-secret",
      paramLabel = "NAME",
      description =
          "Make the SDS secret NAME here (e.g. default): a new key, and a certificate the control"
              + " plane signs for this sidecar's token over the ADS channel, renewed at half its"
              + " life; the key never leaves the process and NAME is not asked for over SDS.")
  String csrSecret;

  @Option(
      names = "--drain-time",
      paramLabel = "DURATION",
      description =
          "How long open connections may finish after SIGTERM (default: ${DEFAULT-VALUE}).")
  Duration drainTime = SidecarOptions.DEFAULT_DRAIN_TIME;

  @Option(
      names = "--stats-format",
      paramLabel = "FORMAT",
      description =
          "What /stats/prometheus writes: envoy (Envoy's exposition: envoy_cluster_upstream_rq_xx"
              + "{envoy_cluster_name=...}, milliseconds) or idiomatic (scope as a label, counters"
              + " with _total, seconds) (default: ${DEFAULT-VALUE}).")
  String statsFormat = "envoy";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!LogLevels.isLevel(logLevel)) {
      err.println("--log-level: unknown level \"" + logLevel + "\"");
      return Outrigger.EXIT_CONFIG;
    }
    if (concurrency < 1) {
      err.println("--concurrency: " + concurrency + " (expected: >= 1)");
      return Outrigger.EXIT_CONFIG;
    }
    StatsFormat format;
    try {
      format = StatsFormat.parse(statsFormat);
    } catch (IllegalArgumentException e) {
      err.println("--stats-format: " + e.getMessage());
      return Outrigger.EXIT_CONFIG;
    }
    LogLevels.setAll(logLevel);
    LoadedBootstrap bootstrap;
    try {
      bootstrap = ConfigPreloader.take(config);
      if (bootstrap == null) {
        bootstrap = BootstrapLoader.load(config, System.getenv());
      }
    } catch (ConfigException e) {
      err.println("config error: " + e.getMessage());
      err.flush();
      return Outrigger.EXIT_CONFIG;
    }
    Sidecar sidecar;
    try {
      SidecarOptions options = new SidecarOptions(concurrency, drainTime).withStatsFormat(format);
      sidecar =
          Sidecar.start(bootstrap, csrSecret == null ? options : options.withCsrSecret(csrSecret));
    } catch (IllegalArgumentException e) {
      // What only the data plane can check, such as a certificate file that cannot be read.
      err.println("config error: " + e.getMessage());
      err.flush();
      return Outrigger.EXIT_CONFIG;
    } catch (Sidecar.StartException | IllegalStateException e) {
      err.println("start failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    Signals.onTerminate(sidecar::shutdown);
    sidecar.terminated().join();
    return 0;
  }
}
