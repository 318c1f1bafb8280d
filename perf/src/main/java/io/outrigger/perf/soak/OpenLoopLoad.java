package io.outrigger.perf.soak;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An open-loop load generator: one request every {@code 1/rate} seconds whatever the answers do (a
 * slow or failing sidecar does not slow the offered load down), alternately over HTTP/1.1 and
 * HTTP/2, trusting only the mesh CA. Every answer goes to the {@link Tally} by status code, every
 * request without an answer by exception, and every one that is not 2xx to the {@link FailureLog}.
 * The clients are replaced every {@code clientLifetime}, so new TLS handshakes keep meeting the
 * rotated certificates; the old ones finish what they sent.
 */
final class OpenLoopLoad implements AutoCloseable {
  /**
   * The rate climbs from 0 to {@code rate} over this time, so that a cold sidecar is not met by a
   * burst that opens hundreds of connections at once (the JDK client opens one per request
   * waiting).
   */
  private static final long RAMP_NANOS = 20_000_000_000L;

  /**
   * How long a request, and a connection, may take before it counts as failed: long, because the
   * soak looks for errors and leaks on a machine shared with builds that starve it for seconds at a
   * time; latency is recorded per interval instead.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Requests in flight beyond which a tick sends nothing and counts {@code skipped}. */
  static final int MAX_IN_FLIGHT = 2_000;

  /** The outcome of a tick that sent nothing because of {@link #MAX_IN_FLIGHT}. */
  static final String SKIPPED = "skipped";

  private final URI uri;
  private final int rate;
  private final SSLContext tls;
  private final Duration clientLifetime;
  private final Tally tally;
  private final FailureLog failures;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-ticker"));
  private final AtomicLong inFlight = new AtomicLong();
  private long sent;
  private long startedAt;
  private long clientsSince;
  private HttpClient http1;
  private HttpClient http2;

  OpenLoopLoad(
      URI uri, int rate, Path caPem, Duration clientLifetime, Tally tally, FailureLog failures)
      throws Exception {
    this.uri = uri;
    this.rate = rate;
    this.tls = trusting(caPem);
    this.clientLifetime = clientLifetime;
    this.tally = tally;
    this.failures = failures;
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  void start() {
    startedAt = System.nanoTime();
    ticker.scheduleAtFixedRate(this::tick, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    if (now - startedAt < RAMP_NANOS
        && java.util.concurrent.ThreadLocalRandom.current().nextLong(RAMP_NANOS)
            > now - startedAt) {
      return;
    }
    if (http1 == null || now - clientsSince > clientLifetime.toNanos()) {
      http1 = client(HttpClient.Version.HTTP_1_1);
      http2 = client(HttpClient.Version.HTTP_2);
      clientsSince = now;
    }
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      tally.record(SKIPPED, 0);
      return;
    }
    HttpClient client = (sent++ & 1) == 0 ? http1 : http2;
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    long startMs = System.currentTimeMillis();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              inFlight.decrementAndGet();
              long latency = System.nanoTime() - start;
              if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                String outcome = "error:" + cause.getClass().getSimpleName();
                tally.record(outcome, latency);
                failures.add(
                    startMs,
                    latency,
                    outcome,
                    client.version(),
                    String.valueOf(cause.getMessage()));
              } else {
                String outcome = Integer.toString(response.statusCode());
                tally.record(outcome, latency);
                if (!Tally.is2xx(outcome)) {
                  failures.add(startMs, latency, outcome, response.version(), detail(response));
                }
              }
            });
  }

  private static String detail(HttpResponse<String> response) {
    String flags = response.headers().firstValue("x-envoy-response-flags").orElse("");
    String body = response.body() == null ? "" : response.body();
    return (flags.isEmpty() ? "" : "flags=" + flags + " ")
        + body.substring(0, Math.min(160, body.length())).replaceAll("\\s+", " ");
  }

  private HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(tls).connectTimeout(TIMEOUT).build();
  }

  long inFlight() {
    return inFlight.get();
  }

  /** Sends no more requests; those in flight go on to their end. */
  void stop() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
