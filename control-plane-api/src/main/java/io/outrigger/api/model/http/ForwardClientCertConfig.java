package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * The connection manager's {@code forward_client_cert_details} and {@code
 * set_current_client_cert_details}: what becomes of the {@code x-forwarded-client-cert} (XFCC)
 * header on the way upstream.
 *
 * @param mode what to do with the header; default {@link Mode#SANITIZE}
 * @param subject add the client certificate's {@code Subject} to the element this proxy writes;
 *     default false
 * @param uri add its URI SAN ({@code URI}); default false. {@code Hash} (and {@code By}, this
 *     proxy's own URI SAN) are always written, as in Envoy.
 */
public record ForwardClientCertConfig(Mode mode, boolean subject, boolean uri) {
  /** Envoy's default: the header never reaches the upstream. */
  public static final ForwardClientCertConfig DEFAULT =
      new ForwardClientCertConfig(Mode.SANITIZE, false, false);

  /** Envoy's {@code ForwardClientCertDetails}. */
  public enum Mode {
    /** Remove the header. */
    SANITIZE,
    /** On mTLS connections forward the header as it came; otherwise remove it. */
    FORWARD_ONLY,
    /** On mTLS connections append this hop's element; otherwise remove it. */
    APPEND_FORWARD,
    /** On mTLS connections replace the header with this hop's element; otherwise remove it. */
    SANITIZE_SET,
    /** Forward the header as it came, whatever the connection. */
    ALWAYS_FORWARD_ONLY
  }

  public ForwardClientCertConfig {
    requireNonNull(mode, "mode");
  }
}
