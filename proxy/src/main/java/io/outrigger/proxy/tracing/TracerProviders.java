package io.outrigger.proxy.tracing;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.outrigger.api.model.tracing.OpenTelemetryProviderConfig;
import io.outrigger.api.model.tracing.OtlpExport;
import io.outrigger.api.model.tracing.TracingConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's tracer providers: one OpenTelemetry {@link SdkTracerProvider} per distinct {@link
 * OpenTelemetryProviderConfig}, kept for the sidecar's life (a config update that names the same
 * provider reuses it) and shut down by {@link #close}. Each has a {@code service.name} resource, a
 * {@link BatchSpanProcessor} on its own thread with at most {@link #DEFAULT_QUEUE_CAPACITY} spans
 * queued or in export, and the counters of {@link TracingStats}.
 *
 * <p>{@link #httpTracer} is called on config threads; it is synchronized.
 */
public final class TracerProviders implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TracerProviders.class);

  /** Spans held for export per provider; more are dropped and counted. */
  public static final int DEFAULT_QUEUE_CAPACITY = 2048;

  static final Duration SCHEDULE_DELAY = Duration.ofSeconds(1);
  static final int MAX_EXPORT_BATCH = 512;

  private final MeterRegistry registry;
  private final SpanExporterFactory exporters;
  private final Function<String, Optional<String>> clusterEndpoint;
  private final DoubleSupplier uniform;
  private final int capacity;
  private final String localServiceName;
  private final Map<OpenTelemetryProviderConfig, SdkTracerProvider> providers = new HashMap<>();
  private boolean closed;

  /**
   * @param exporters {@link SpanExporterFactory#OTLP} in the sidecar
   * @param clusterEndpoint a cluster's first static endpoint, for {@code envoy_grpc} and {@code
   *     http_uri.cluster}
   * @param uniform draws in [0, 100) for sampling
   * @param capacity spans held for export per provider
   */
  public TracerProviders(
      MeterRegistry registry,
      SpanExporterFactory exporters,
      Function<String, Optional<String>> clusterEndpoint,
      DoubleSupplier uniform,
      int capacity) {
    this(registry, exporters, clusterEndpoint, uniform, capacity, DEFAULT_LOCAL_SERVICE_NAME);
  }

  /**
   * @param localServiceName the service name of the Zipkin provider's spans: the sidecar's {@code
   *     node.cluster}, as Envoy's Zipkin tracer has it
   */
  public TracerProviders(
      MeterRegistry registry,
      SpanExporterFactory exporters,
      Function<String, Optional<String>> clusterEndpoint,
      DoubleSupplier uniform,
      int capacity,
      String localServiceName) {
    this.registry = requireNonNull(registry, "registry");
    this.exporters = requireNonNull(exporters, "exporters");
    this.clusterEndpoint = requireNonNull(clusterEndpoint, "clusterEndpoint");
    this.uniform = requireNonNull(uniform, "uniform");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
    this.localServiceName = requireNonNull(localServiceName, "localServiceName");
  }

  /**
   * The sidecar's: thread-local randomness, the default queue capacity.
   *
   * @param nodeCluster the bootstrap's {@code node.cluster}: the Zipkin provider's service name
   *     (when empty, {@value #DEFAULT_LOCAL_SERVICE_NAME})
   */
  public static TracerProviders create(
      MeterRegistry registry,
      SpanExporterFactory exporters,
      Function<String, Optional<String>> clusterEndpoint,
      String nodeCluster) {
    return new TracerProviders(
        registry,
        exporters,
        clusterEndpoint,
        () -> ThreadLocalRandom.current().nextDouble(100.0),
        DEFAULT_QUEUE_CAPACITY,
        nodeCluster.isEmpty() ? DEFAULT_LOCAL_SERVICE_NAME : nodeCluster);
  }

  /** The Zipkin provider's service name when the node has no cluster. */
  public static final String DEFAULT_LOCAL_SERVICE_NAME = "outrigger";

  /**
   * The tracer of a connection manager: {@link HttpTracer#NONE} without a {@code tracing} block.
   *
   * @throws IllegalArgumentException when the exporter cannot be built (a cluster without a static
   *     endpoint for {@code envoy_grpc})
   */
  public synchronized HttpTracer httpTracer(Optional<TracingConfig> tracing) {
    if (tracing.isEmpty()) {
      return HttpTracer.NONE;
    }
    if (closed) {
      throw new IllegalStateException("tracer providers closed");
    }
    TracingConfig config = tracing.get();
    SdkTracerProvider provider = providers.get(config.provider());
    if (provider == null) {
      provider = build(config.provider());
      providers.put(config.provider(), provider);
    }
    Tracer tracer = provider.get("io.outrigger.proxy");
    OtelHttpTracer httpTracer = new OtelHttpTracer(tracer, config, uniform, System::getenv);
    warmUp(httpTracer);
    return httpTracer;
  }

  /**
   * Runs one unsampled request through {@code tracer} on this config thread: the SDK initialises
   * some classes lazily (its context storage reads service files), and that file I/O must not
   * happen on an event loop at the first request. Unsampled, so nothing is exported.
   */
  private static void warmUp(OtelHttpTracer tracer) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    r.headers().set("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0");
    StreamSpan span = tracer.startStream(r, "127.0.0.1", "1.1");
    span.startAttempt(r, 1, "warm-up", new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
        .end(0, "cancelled");
    r.headers().clear();
    r.headers().set("traceparent", "00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-00");
    tracer.startStream(r, "127.0.0.1", "1.1"); // unsampled: never recorded, nothing to end
  }

  private SdkTracerProvider build(OpenTelemetryProviderConfig config) {
    boolean zipkin = config.export() instanceof OtlpExport.Zipkin;
    String serviceName = zipkin ? localServiceName : config.serviceName();
    TracingStats stats = TracingStats.create(registry, serviceName);
    AtomicInteger held = new AtomicInteger();
    var exporter =
        new BoundedSpanProcessor.CountingExporter(
            exporters.create(config, clusterEndpoint), held, stats.exported(), stats.failed());
    BatchSpanProcessor batch =
        BatchSpanProcessor.builder(exporter)
            .setMaxQueueSize(capacity)
            .setMaxExportBatchSize(Math.min(MAX_EXPORT_BATCH, capacity))
            .setScheduleDelay(SCHEDULE_DELAY)
            .setExporterTimeout(config.export().timeout().plusSeconds(1))
            .build();
    return SdkTracerProvider.builder()
        .setResource(
            Resource.getDefault()
                .merge(Resource.create(Attributes.of(ResourceKeys.SERVICE_NAME, serviceName))))
        .setIdGenerator(
            zipkin && !((OtlpExport.Zipkin) config.export()).traceId128Bit()
                ? ShortTraceIds.INSTANCE
                : IdGenerator.random())
        .setSampler(DecidedSampler.INSTANCE)
        .addSpanProcessor(new BoundedSpanProcessor(batch, capacity, held, stats.dropped()))
        .build();
  }

  /** Exports what is queued (waiting up to 5 s) and shuts every provider down. */
  @Override
  public synchronized void close() {
    closed = true;
    for (SdkTracerProvider p : providers.values()) {
      p.shutdown().join(5, TimeUnit.SECONDS);
    }
    if (!providers.isEmpty()) {
      log.debug("{} tracer provider(s) shut down", providers.size());
    }
    providers.clear();
  }

  /** Ends what is queued now, for tests and the admin's flush. */
  public synchronized void forceFlush() {
    for (SdkTracerProvider p : providers.values()) {
      p.forceFlush().join(5, TimeUnit.SECONDS);
    }
  }

  private static final class ResourceKeys {
    static final io.opentelemetry.api.common.AttributeKey<String> SERVICE_NAME =
        io.opentelemetry.api.common.AttributeKey.stringKey("service.name");
  }
}
