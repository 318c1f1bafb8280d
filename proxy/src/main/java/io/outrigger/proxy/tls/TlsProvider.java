package io.outrigger.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation the sidecar uses: BoringSSL through netty-tcnative ({@link
 * SslProvider#OPENSSL}) whenever its native library loads, the JDK's otherwise. The fallback is
 * logged at WARN, never silent; {@link #logChoice()} states the choice at start-up.
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

  /** Logs which provider is in use; called once at start-up. */
  public static void logChoice() {
    if (provider() == SslProvider.OPENSSL) {
      log.info("TLS provider: {}", describe());
    } else {
      log.warn(
          "TLS provider: {}; netty-tcnative (BoringSSL) did not load: {}",
          describe(),
          String.valueOf(OpenSsl.unavailabilityCause()));
    }
  }

  private static final class Holder {
    static final SslProvider PROVIDER = choose();

    private static SslProvider choose() {
      if (OpenSsl.isAvailable()) {
        return SslProvider.OPENSSL;
      }
      log.warn(
          "netty-tcnative (BoringSSL) is not available, falling back to the JDK's TLS: {}",
          String.valueOf(OpenSsl.unavailabilityCause()));
      return SslProvider.JDK;
    }
  }
}
