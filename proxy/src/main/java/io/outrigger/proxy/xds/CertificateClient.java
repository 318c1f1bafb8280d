package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.outrigger.api.ca.CertificateProtocol;
import io.outrigger.api.model.tls.DataSourceConfig;
import io.outrigger.api.model.tls.SecretConfig;
import io.outrigger.api.model.tls.TlsCertificateConfig;
import io.outrigger.proxy.tls.SecretManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets this sidecar's workload certificate without its private key leaving the process: makes an EC
 * P-256 key, sends a CSR to the control plane's {@link CertificateProtocol} service over the
 * discovery stream's channel security (TLS, the bootstrap's {@code initial_metadata} token), and
 * installs key and signed certificate as the local SDS secret {@code secretName} ({@link
 * SecretManager#installLocal}). Renews the same way, with a new key, when half the life the
 * certificate had left on arrival has passed (at least a second later); a failed attempt (control
 * plane down, token revoked) is retried after a jittered back-off while the current certificate
 * serves.
 *
 * <p>Threading: every attempt runs on the client's own thread, {@code outrigger-csr}, which may
 * block on the call (never an event loop). {@link #first()} and {@link #close()} from any thread.
 */
public final class CertificateClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateClient.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MIN_RENEWAL = Duration.ofSeconds(1);

  private final AdsClientConfig config;
  private final String secretName;
  private final SecretManager secrets;
  private final SecureRandom random;
  private final ManagedChannel channel;
  private final ScheduledExecutorService executor;
  private final Backoff backoff;
  private final CompletableFuture<Void> first = new CompletableFuture<>();

  private CertificateClient(
      AdsClientConfig config, String secretName, SecretManager secrets, SecureRandom random) {
    this.config = requireNonNull(config, "config");
    this.secretName = requireNonNull(secretName, "secretName");
    this.secrets = requireNonNull(secrets, "secrets");
    this.random = requireNonNull(random, "random");
    this.channel = AdsChannel.build(config, 1024 * 1024);
    ScheduledThreadPoolExecutor thread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "outrigger-csr");
              t.setDaemon(true);
              return t;
            });
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = thread;
    this.backoff = new Backoff(config.backoffBase(), config.backoffMax(), config.random());
  }

  /**
   * Starts asking at once, on the client's thread.
   *
   * @param secretName the SDS secret the certificate is installed as (one of the secret manager's
   *     local names), e.g. {@code default}
   * @param random makes the keys
   */
  public static CertificateClient start(
      AdsClientConfig config, String secretName, SecretManager secrets, SecureRandom random) {
    CertificateClient client = new CertificateClient(config, secretName, secrets, random);
    client.executor.execute(client::attempt);
    return client;
  }

  /** Completes when the first certificate is installed; never fails. */
  public CompletableFuture<Void> first() {
    return first;
  }

  private void attempt() {
    try {
      KeyPair key = newKey();
      X509Certificate cert = request(key);
      secrets.installLocal(
          SecretConfig.certificate(
              secretName,
              new TlsCertificateConfig(
                  DataSourceConfig.inline(pem(cert)), DataSourceConfig.inline(pem(key)))));
      // Half the life left at receipt (the CA back-dates notBefore for clock skew), at least
      // MIN_RENEWAL so that a certificate shorter than the skew cannot make a busy loop.
      Instant now = config.clock().instant();
      Duration delay = Duration.between(now, cert.getNotAfter().toInstant()).dividedBy(2);
      if (delay.compareTo(MIN_RENEWAL) < 0) {
        delay = MIN_RENEWAL;
      }
      log.info(
          "csr: secret {} is {} (serial {}, valid until {}); renewing in {} s",
          secretName,
          cert.getSubjectAlternativeNames(),
          cert.getSerialNumber().toString(16),
          cert.getNotAfter().toInstant(),
          delay.toSeconds());
      backoff.reset();
      first.complete(null);
      schedule(delay);
    } catch (IOException
        | GeneralSecurityException
        | OperatorCreationException
        | RuntimeException e) {
      Duration delay = backoff.next();
      log.warn(
          "csr: no certificate for secret {} from {} ({}); trying again in {} ms",
          secretName,
          config.target(),
          e.toString(),
          delay.toMillis());
      schedule(delay);
    }
  }

  private void schedule(Duration delay) {
    if (!executor.isShutdown()) {
      executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private X509Certificate request(KeyPair key)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Struct answer =
        ClientCalls.blockingUnaryCall(
            channel,
            CertificateProtocol.CREATE_CERTIFICATE,
            CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
            Struct.newBuilder()
                .putFields(
                    CertificateProtocol.CSR, Value.newBuilder().setStringValue(csr(key)).build())
                .build());
    Value chain = answer.getFieldsMap().get(CertificateProtocol.CERT_CHAIN);
    if (chain == null || !chain.hasListValue() || chain.getListValue().getValuesCount() == 0) {
      throw new IOException("the control plane's answer has no " + CertificateProtocol.CERT_CHAIN);
    }
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        chain
                            .getListValue()
                            .getValues(0)
                            .getStringValue()
                            .getBytes(StandardCharsets.US_ASCII)));
    if (!cert.getPublicKey().equals(key.getPublic())) {
      throw new GeneralSecurityException("the signed certificate is not for this sidecar's key");
    }
    return cert;
  }

  private KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    return g.generateKeyPair();
  }

  private String csr(KeyPair key) throws IOException, OperatorCreationException {
    // The subject is informative only: the control plane signs for the token's identity.
    return pem(
        new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=" + config.node().id().replaceAll("[^A-Za-z0-9._-]", "_")),
                key.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }

  private static String pem(KeyPair key) throws IOException {
    return pem(new JcaPKCS8Generator(key.getPrivate(), null));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    channel.shutdownNow();
  }
}
