package io.outrigger.proxy.xds;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import io.outrigger.proxy.tls.ControlPlaneTrust;
import io.outrigger.proxy.tls.KeyAndChain;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC channel of the discovery stream: plaintext, or TLS with the {@code envoy_grpc} cluster's
 * {@code UpstreamTlsContext} (server verified by Envoy's rules: chain to {@code trusted_ca}, URI
 * SAN matchers, no host name comparison; client certificate when configured); the {@code
 * initial_metadata} on every call.
 */
final class AdsChannel {
  private static final Logger log = LoggerFactory.getLogger(AdsChannel.class);

  private AdsChannel() {}

  /**
   * @throws IllegalArgumentException when the TLS material cannot be read; names the field
   */
  static ManagedChannel build(AdsClientConfig config, int maxInboundMessageSize) {
    return build(config, maxInboundMessageSize, null);
  }

  /**
   * @param answeredBy told the endpoint that answers each call; null for no one
   */
  static ManagedChannel build(
      AdsClientConfig config,
      int maxInboundMessageSize,
      java.util.function.Consumer<java.net.SocketAddress> answeredBy) {
    ControlPlaneEndpoints.register();
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(config.target())
            // Callbacks only hand events to the client's thread: cheap enough for the transport's.
            .directExecutor()
            .maxInboundMessageSize(maxInboundMessageSize);
    if (config.tls().isPresent()) {
      UpstreamTlsConfig tls = config.tls().get();
      builder.negotiationType(NegotiationType.TLS).sslContext(sslContext(tls));
      if (!tls.sni().isEmpty()) {
        builder.overrideAuthority(tls.sni());
      }
    } else {
      builder.usePlaintext();
    }
    if (!config.initialMetadata().isEmpty()) {
      builder.intercept(metadata(config.initialMetadata()));
    }
    if (answeredBy != null) {
      builder.intercept(new RemoteAddressRecorder(answeredBy));
    }
    return builder.build();
  }

  private static SslContext sslContext(UpstreamTlsConfig tls) {
    String where = "dynamic_resources.ads_config: the envoy_grpc cluster's transport_socket";
    try {
      ControlPlaneTrust trust = ControlPlaneTrust.read(tls.common());
      // The JDK provider: its engine leaves every check to the trust manager, so the host name is
      // not compared with the certificate (Envoy's rule) whatever gRPC asks of the engine.
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
      if (trust.verifier().isPresent()) {
        b.trustManager(trust.verifier().get());
      } else {
        log.warn("{} has no validation_context: the control plane is not verified", where);
        b.trustManager(InsecureTrustManagerFactory.INSTANCE);
      }
      if (trust.certificateChainPem().isPresent()) {
        KeyAndChain own =
            KeyAndChain.read(
                trust.certificateChainPem().get(), trust.privateKeyPem().orElseThrow());
        b.keyManager(own.key(), own.chain()).keyStoreType(KeyAndChain.KEY_STORE_TYPE);
      }
      return b.build();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static ClientInterceptor metadata(Map<String, String> entries) {
    Metadata headers = new Metadata();
    entries.forEach((k, v) -> headers.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }
}
