package io.outrigger.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A headless Chromium screenshot of Prometheus' graph page, for the docs: taken only when {@code
 * OUTRIGGER_SCREENSHOTS=1}, into {@code docs/images/} (Chromium is the Debian package {@code
 * chromium}).
 */
final class Screenshot {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();

  private Screenshot() {}

  static boolean asked() {
    return "1".equals(System.getenv("OUTRIGGER_SCREENSHOTS"));
  }

  static void take(int prometheusPort, String query, String file)
      throws IOException, InterruptedException {
    Path out = HOME.resolve("docs/images").resolve(file);
    Files.createDirectories(out.getParent());
    Path profile = Files.createTempDirectory("chromium");
    String url =
        "http://127.0.0.1:"
            + prometheusPort
            + "/graph?g0.expr="
            + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + "&g0.tab=0&g0.stacked=0&g0.show_exemplars=0&g0.range_input=1m";
    Process p =
        new ProcessBuilder(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--hide-scrollbars",
                "--window-size=1400,900",
                "--virtual-time-budget=15000",
                "--screenshot=" + out,
                url)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(Files.size(out)).as(out.toString()).isPositive();
  }
}
