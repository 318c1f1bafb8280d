package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.outrigger.api.ca.CertificateProtocol;
import io.outrigger.certs.Csr;
import io.outrigger.certs.MeshCa;
import io.outrigger.certs.Pem;
import io.outrigger.certs.SpiffeId;
import io.outrigger.controlplane.auth.Grant;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs sidecars' CSRs ({@link CertificateProtocol}) for the identity of the caller's node token
 * ({@link XdsAuthInterceptor}), never for what the CSR names. Runs on gRPC's threads; the CA is
 * thread-safe.
 */
final class CertificateService {
  private static final Logger log = LoggerFactory.getLogger(CertificateService.class);

  private final MeshCa ca;
  private final Duration maxTtl;

  /**
   * @param maxTtl the longest TTL signed (the control plane's workload TTL), and the TTL of a
   *     request that names none
   */
  CertificateService(MeshCa ca, Duration maxTtl) {
    this.ca = requireNonNull(ca, "ca");
    this.maxTtl = requireNonNull(maxTtl, "maxTtl");
  }

  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(CertificateProtocol.SERVICE)
        .addMethod(CertificateProtocol.CREATE_CERTIFICATE, ServerCalls.asyncUnaryCall(this::create))
        .build();
  }

  /** The service of a control plane without a CA: every call fails with UNIMPLEMENTED. */
  static ServerServiceDefinition unavailable() {
    return ServerServiceDefinition.builder(CertificateProtocol.SERVICE)
        .addMethod(
            CertificateProtocol.CREATE_CERTIFICATE,
            ServerCalls.asyncUnaryCall(
                (request, response) ->
                    response.onError(
                        Status.UNIMPLEMENTED
                            .withDescription("the control plane runs without --ca")
                            .asRuntimeException())))
        .build();
  }

  private void create(Struct request, StreamObserver<Struct> response) {
    Optional<Grant.NodeGrant> grant = XdsAuthInterceptor.current();
    if (grant.isEmpty()) {
      response.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  "certificates are signed for node tokens only (the control plane runs without"
                      + " --tokens)")
              .asRuntimeException());
      return;
    }
    SpiffeId id = grant.get().identity().spiffeId(ca.trustDomain());
    X509Certificate cert;
    try {
      PublicKey key = Csr.verifiedPublicKey(string(request, CertificateProtocol.CSR));
      cert = ca.sign(key, id, ttl(request));
    } catch (IllegalArgumentException e) {
      log.warn("ca: refused a CSR for {}: {}", id, e.getMessage());
      response.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    log.info(
        "ca: signed {} (serial {}, valid until {})",
        id,
        cert.getSerialNumber().toString(16),
        cert.getNotAfter().toInstant());
    ListValue.Builder chain =
        ListValue.newBuilder()
            .addValues(Value.newBuilder().setStringValue(Pem.certificate(cert)))
            .addValues(Value.newBuilder().setStringValue(Pem.certificate(ca.certificate())));
    response.onNext(
        Struct.newBuilder()
            .putFields(
                CertificateProtocol.CERT_CHAIN, Value.newBuilder().setListValue(chain).build())
            .build());
    response.onCompleted();
  }

  private Duration ttl(Struct request) {
    Value v = request.getFieldsMap().get(CertificateProtocol.VALIDITY_SECONDS);
    if (v == null || !v.hasNumberValue() || v.getNumberValue() <= 0) {
      return maxTtl;
    }
    Duration wanted = Duration.ofSeconds((long) v.getNumberValue());
    return wanted.compareTo(maxTtl) < 0 ? wanted : maxTtl;
  }

  private static String string(Struct request, String field) {
    Value v = request.getFieldsMap().get(field);
    if (v == null || !v.hasStringValue()) {
      throw new IllegalArgumentException(field + ": required (expected: a PEM string)");
    }
    return v.getStringValue();
  }
}
