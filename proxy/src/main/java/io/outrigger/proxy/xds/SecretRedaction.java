package io.outrigger.proxy.xds;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Secrets as {@code /config_dump} shows them: a private key given inline is replaced by {@code
 * [redacted]}, as Envoy does; a key file's path stays (it is not the key).
 */
public final class SecretRedaction {
  /** What Envoy writes in place of inline key material. */
  public static final String REDACTED = "[redacted]";

  private SecretRedaction() {}

  public static Map<String, Message> redact(Map<String, ? extends Message> secrets) {
    Map<String, Message> out = new LinkedHashMap<>();
    secrets.forEach((name, m) -> out.put(name, redact((Secret) m)));
    return out;
  }

  public static Secret redact(Secret secret) {
    if (!secret.hasTlsCertificate() || !secret.getTlsCertificate().hasPrivateKey()) {
      return secret;
    }
    DataSource key = secret.getTlsCertificate().getPrivateKey();
    if (key.hasFilename()) {
      return secret;
    }
    Secret.Builder b = secret.toBuilder();
    b.getTlsCertificateBuilder()
        .setPrivateKey(
            DataSource.newBuilder()
                .setInlineBytes(ByteString.copyFrom(REDACTED, StandardCharsets.UTF_8)));
    return b.build();
  }
}
