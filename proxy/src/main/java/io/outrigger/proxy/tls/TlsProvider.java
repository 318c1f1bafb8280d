package io.outrigger.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation the sidecar uses: BoringSSL through netty-tcnative ({@link
 * SslProvider#OPENSSL}) whenever its native library loads, the JDK's otherwise. The fallback is
 * logged at WARN, never silent. The choice is made, and logged, when the first TLS context is
 * built: a sidecar without TLS never loads the native library or the JDK's TLS classes (about 500
 * classes and the library's mapping, measured in docs/benchmarks.md).
 */
public final class TlsProvider {
  private static final Logger log = LoggerFactory.getLogger(TlsProvider.class);

  private TlsProvider() {}

  /** The provider every {@code SslContext} is built with. Thread-safe; decided once. */
  public static SslProvider provider() {
    return Holder.PROVIDER;
  }

  /** A human-readable name, e.g. {@code OPENSSL (BoringSSL 2.0.84)}. */
  public static String describe() {
    return provider() == SslProvider.OPENSSL
        ? "OPENSSL (" + OpenSsl.versionString() + ")"
        : "JDK (" + System.getProperty("java.vm.vendor") + " " + Runtime.version() + ")";
  }

  private static final class Holder {
    static final SslProvider PROVIDER = choose();

    private static SslProvider choose() {
      if (OpenSsl.isAvailable()) {
        log.info("TLS provider: OPENSSL ({})", OpenSsl.versionString());
        return SslProvider.OPENSSL;
      }
      log.warn(
          "TLS provider: JDK; netty-tcnative (BoringSSL) did not load: {}",
          String.valueOf(OpenSsl.unavailabilityCause()));
      return SslProvider.JDK;
    }
  }
}
