package io.outrigger.controlplane;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who may reach the control plane and how.
 *
 * @param tokens the token file ({@code io.outrigger.controlplane.auth.TokenFile}), watched: ADS
 *     then serves only node-token holders, each only its own identity, and the HTTP API only API
 *     tokens within their scopes; empty lets anyone in (the command line wants {@code
 *     --insecure-no-auth} for that); default empty
 * @param xdsTls serve ADS over TLS with a certificate from the mesh CA ({@code ca} must be set);
 *     default false (the command line turns it on with {@code --ca} unless told {@code
 *     --insecure-plaintext-xds})
 * @param xdsHostNames DNS names and IP addresses put in the xDS server certificate besides {@code
 *     localhost} and {@code 127.0.0.1}, for clients that compare host names; default none
 */
public record AccessOptions(Optional<Path> tokens, boolean xdsTls, List<String> xdsHostNames) {
  /** The SPIFFE path of the control plane's own certificate. */
  public static final String CONTROL_PLANE_ID_PATH = "/ns/outrigger-system/sa/control-plane";

  /** Anyone in, plaintext. */
  public static final AccessOptions OPEN = new AccessOptions(Optional.empty(), false, List.of());

  public AccessOptions {
    requireNonNull(tokens, "tokens");
    xdsHostNames = List.copyOf(requireNonNull(xdsHostNames, "xdsHostNames"));
  }
}
