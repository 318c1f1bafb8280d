package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;
import java.util.List;

/**
 * Envoy's names of the TLS meters: {@code listener.<address>.ssl.handshake}, {@code
 * cluster.<name>.ssl.fail_verify_san}, …; the handshake failure reasons Envoy has no counter for
 * keep Outrigger's reason in the name ({@code ssl.handshake_error.protocol}).
 */
final class TlsNames {
  private TlsNames() {}

  /**
   * @param scope {@code listener.<address>} or {@code cluster.<name>}, or null for the certificate
   *     meters, which are per certificate
   */
  static List<StatName> names(Meter.Id id, String scope) {
    String n = id.getName();
    String certificate = id.getTag("certificate");
    if (certificate != null) {
      String stat = n.equals("ssl_certificate_expiry_days") ? "expiry_days" : "rotations";
      return List.of(StatName.of("ssl.certificate." + stat, "certificate", certificate));
    }
    return switch (n) {
      case "ssl_handshake" -> List.of(StatName.of(scope + ".ssl.handshake"));
      case "ssl_connection_error" -> List.of(StatName.of(scope + ".ssl.connection_error"));
      case "ssl_handshake_error" -> List.of(StatName.of(scope + ".ssl." + reason(id)));
      case "downstream_context_secrets_not_ready" ->
          List.of(StatName.of(scope + ".server_ssl_socket_factory." + n));
      case "upstream_context_secrets_not_ready" ->
          List.of(StatName.of(scope + ".client_ssl_socket_factory." + n));
      default -> List.of(StatName.of(scope + "." + n));
    };
  }

  private static String reason(Meter.Id id) {
    String reason = String.valueOf(id.getTag("reason"));
    return switch (reason) {
      case "no_certificate" -> "fail_verify_no_cert";
      case "untrusted" -> "fail_verify_error";
      case "san_mismatch" -> "fail_verify_san";
      default -> "handshake_error." + reason;
    };
  }
}
