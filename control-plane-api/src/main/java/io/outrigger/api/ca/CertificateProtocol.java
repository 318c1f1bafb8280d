package io.outrigger.api.ca;

import com.google.protobuf.Struct;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * How a sidecar gets its workload certificate without its private key ever leaving it: one unary
 * gRPC call beside ADS, on the same port and connection security (TLS, the node's bearer token in
 * {@code authorization}), in the spirit of Istio's {@code
 * IstioCertificateService/CreateCertificate}. The messages are {@code google.protobuf.Struct}s, so
 * no generated code is needed on either side.
 *
 * <ul>
 *   <li>request: {@value #CSR} (string): a PEM PKCS#10 request signed with the sidecar's new key;
 *       {@value #VALIDITY_SECONDS} (number, optional): the TTL wanted, capped by the control
 *       plane's workload TTL.
 *   <li>response: {@value #CERT_CHAIN} (list of strings): the PEM certificate, then the CA
 *       certificate.
 * </ul>
 *
 * <p>The control plane signs the CSR's public key for the identity bound to the caller's token,
 * never for what the CSR or the node claim; without a node token the call fails with
 * UNAUTHENTICATED or PERMISSION_DENIED, with a CSR whose signature does not verify with
 * INVALID_ARGUMENT. The sidecar renews the same way at half the certificate's life, with a new key.
 */
public final class CertificateProtocol {
  /** The gRPC service. */
  public static final String SERVICE = "outrigger.ca.v1.CertificateService";

  /** Its one method. */
  public static final String METHOD = "CreateCertificate";

  /** Request field: the PEM CSR. */
  public static final String CSR = "csr";

  /** Request field: the TTL wanted, in seconds. */
  public static final String VALIDITY_SECONDS = "validity_duration";

  /** Response field: the PEM certificate chain, leaf first. */
  public static final String CERT_CHAIN = "cert_chain";

  /** The method, as client and server describe it to gRPC. */
  public static final MethodDescriptor<Struct, Struct> CREATE_CERTIFICATE =
      MethodDescriptor.<Struct, Struct>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, METHOD))
          .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
          .build();

  private CertificateProtocol() {}
}
