package io.outrigger.proxy.tracing;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC over the grpc-java Outrigger already ships (for ADS): the SDK's own gRPC exporter needs
 * an OkHttp or managed-channel sender that is not on the class path. The request is the SDK's OTLP
 * protobuf encoding, sent as raw bytes to {@code
 * opentelemetry.proto.collector.trace.v1.TraceService/Export}; the response is not decoded (a
 * partial success counts as success). Plaintext only.
 *
 * <p>{@link #export} is called on the batch processor's thread and returns at once; the call
 * completes on a gRPC thread.
 */
final class OtlpGrpcSpanExporter implements SpanExporter {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<byte[], byte[]> EXPORT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  private final ManagedChannel channel;
  private final Channel calls;
  private final Duration timeout;

  /**
   * @param target {@code host:port}
   * @param headers initial metadata sent with every export
   */
  OtlpGrpcSpanExporter(String target, Duration timeout, Map<String, String> headers) {
    this.channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
    Metadata metadata = new Metadata();
    headers.forEach(
        (k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    this.calls =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    this.timeout = timeout;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = new CompletableResultCode();
    byte[] body;
    try {
      TraceRequestMarshaler request = TraceRequestMarshaler.create(spans);
      ByteArrayOutputStream out = new ByteArrayOutputStream(request.getBinarySerializedSize());
      request.writeBinaryTo(out);
      body = out.toByteArray();
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    }
    CallOptions options =
        CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Futures.addCallback(
        ClientCalls.futureUnaryCall(calls.newCall(EXPORT, options), body),
        new FutureCallback<byte[]>() {
          @Override
          public void onSuccess(byte[] response) {
            result.succeed();
          }

          @Override
          public void onFailure(Throwable t) {
            result.fail();
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    channel.shutdownNow();
    return CompletableResultCode.ofSuccess();
  }
}
