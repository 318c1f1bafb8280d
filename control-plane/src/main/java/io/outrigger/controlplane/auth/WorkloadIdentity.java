package io.outrigger.controlplane.auth;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.outrigger.certs.SpiffeId;
import java.util.Optional;

/**
 * Who a proxy's workload is, as Istio names it: a namespace and a service account, which make the
 * SPIFFE ID {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service account>} of its certificate.
 *
 * @param namespace the namespace
 * @param serviceAccount the service account
 */
public record WorkloadIdentity(String namespace, String serviceAccount) {
  /** Istio's node metadata key for the namespace. */
  public static final String NAMESPACE_KEY = "NAMESPACE";

  /** Istio's node metadata key for the service account. */
  public static final String SERVICE_ACCOUNT_KEY = "SERVICE_ACCOUNT";

  /** The namespace of a node whose metadata names none. */
  public static final String DEFAULT_NAMESPACE = "default";

  public WorkloadIdentity {
    requireNonNull(namespace, "namespace");
    requireNonNull(serviceAccount, "serviceAccount");
  }

  /**
   * The identity of {@code node}: node metadata {@code NAMESPACE} and {@code SERVICE_ACCOUNT}
   * (Istio's keys) when present; otherwise namespace {@code default} and the service account {@code
   * node.cluster}.
   *
   * @return empty when neither names a service account, or a name is not a SPIFFE path segment
   */
  public static Optional<WorkloadIdentity> of(Node node) {
    String namespace = metadata(node, NAMESPACE_KEY).orElse(DEFAULT_NAMESPACE);
    String account = metadata(node, SERVICE_ACCOUNT_KEY).orElse(node.getCluster());
    if (account.isEmpty() || !segment(namespace) || !segment(account)) {
      return Optional.empty();
    }
    return Optional.of(new WorkloadIdentity(namespace, account));
  }

  /** The identity {@code namespace/serviceAccount}; empty when either is not a path segment. */
  public static Optional<WorkloadIdentity> parse(String namespace, String serviceAccount) {
    return segment(namespace) && segment(serviceAccount)
        ? Optional.of(new WorkloadIdentity(namespace, serviceAccount))
        : Optional.empty();
  }

  /** {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>}. */
  public SpiffeId spiffeId(String trustDomain) {
    return new SpiffeId(trustDomain, "/ns/" + namespace + "/sa/" + serviceAccount);
  }

  private static Optional<String> metadata(Node node, String key) {
    Value v = node.getMetadata().getFieldsMap().get(key);
    return v != null && v.hasStringValue() && !v.getStringValue().isEmpty()
        ? Optional.of(v.getStringValue())
        : Optional.empty();
  }

  private static boolean segment(String s) {
    return s.matches("[A-Za-z0-9._-]+");
  }
}
