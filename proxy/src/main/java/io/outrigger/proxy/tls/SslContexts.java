package io.outrigger.proxy.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.outrigger.api.model.tls.CipherSuite;
import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds Netty {@link SslContext}s from the TLS model and the material read for it. */
final class SslContexts {
  /** Envoy's default session lifetime for tickets and the cache. */
  private static final long SESSION_TIMEOUT_SECONDS = 7200;

  private static final long SESSION_CACHE_SIZE = 20_480;

  private SslContexts() {}

  /**
   * @param common {@code config}'s common context with its secrets resolved
   */
  static SslContext server(DownstreamTlsConfig config, CommonTlsConfig common, TlsMaterial m)
      throws SSLException, GeneralSecurityException {
    KeyAndChain own = KeyAndChain.read(m.chainPem(), m.keyPem());
    SslContextBuilder b =
        SslContextBuilder.forServer(own.key(), own.chain())
            .keyStoreType(KeyAndChain.KEY_STORE_TYPE)
            .sslProvider(TlsProvider.provider());
    if (common.validation().isPresent()) {
      b.trustManager(PeerVerifier.of(m.trustedCas(), common.validation().get()))
          .clientAuth(config.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    } else {
      b.clientAuth(ClientAuth.NONE);
    }
    return common(b, common).build();
  }

  /**
   * @param common {@code config}'s common context with its secrets resolved
   */
  static SslContext client(UpstreamTlsConfig config, CommonTlsConfig common, TlsMaterial m)
      throws SSLException, GeneralSecurityException {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(TlsProvider.provider());
    if (m.chainPem() != null) {
      KeyAndChain own = KeyAndChain.read(m.chainPem(), m.keyPem());
      b.keyManager(own.key(), own.chain()).keyStoreType(KeyAndChain.KEY_STORE_TYPE);
    }
    b.trustManager(
        common.validation().isPresent()
            ? PeerVerifier.of(m.trustedCas(), common.validation().get())
            // Envoy's rule: without a validation context the server is not verified.
            : InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0]);
    // Envoy never checks the host name against the certificate unless a SAN matcher says so.
    b.endpointIdentificationAlgorithm(null);
    return common(b, common).build();
  }

  private static SslContextBuilder common(SslContextBuilder b, CommonTlsConfig common) {
    List<String> ciphers = new ArrayList<>(CipherSuite.TLS13_JAVA_NAMES);
    common.params().cipherSuites().forEach(c -> ciphers.add(c.javaName()));
    b.protocols(common.params().protocols().toArray(String[]::new))
        .ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE)
        .sessionCacheSize(SESSION_CACHE_SIZE)
        .sessionTimeout(SESSION_TIMEOUT_SECONDS);
    if (!common.alpnProtocols().isEmpty()) {
      b.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              common.alpnProtocols()));
    }
    return b;
  }
}
