package io.outrigger.controlplane.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The control plane's token file: one grant per line, the token known only by its SHA-256, so that
 * the file alone lets no one in. {@code #} starts a comment; blank lines are skipped.
 *
 * <pre>
 * sha256:3f2a…  node  default/n1            # node group n1, spiffe://…/ns/default/sa/n1
 * sha256:9b0c…  node  default/api cluster=web
 * sha256:77de…  api   status,faults,resources
 * </pre>
 *
 * <p>A {@code node} grant names the namespace and service account of the only identity its holder
 * is issued and, by default, the service account as the only {@code node.cluster} it may claim
 * ({@code cluster=} names another). An {@code api} grant lists its {@link Scope}s.
 */
public final class TokenFile {
  /** The prefix of the tokens this file's tools make, so that a leaked one is recognised. */
  public static final String TOKEN_PREFIX = "ort_";

  private static final String HASH_PREFIX = "sha256:";

  private TokenFile() {}

  /** A new token: {@link #TOKEN_PREFIX} and 32 random bytes, base64url. */
  public static String newToken(RandomGenerator random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The SHA-256 of {@code token}, hex, as a token file holds it. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The line granting {@code token} the node identity {@code namespace/serviceAccount}. */
  public static String nodeLine(String token, WorkloadIdentity identity) {
    return HASH_PREFIX
        + hash(token)
        + " node "
        + identity.namespace()
        + "/"
        + identity.serviceAccount();
  }

  /** The line granting {@code token} the API {@code scopes}. */
  public static String apiLine(String token, Set<Scope> scopes) {
    return HASH_PREFIX
        + hash(token)
        + " api "
        + scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(","));
  }

  /**
   * Parses a token file's text.
   *
   * @param where names the file in errors
   * @return the grants by token hash
   * @throws IllegalArgumentException naming the file and line of the first bad line
   */
  public static Map<String, Grant> parse(String text, String where) {
    Map<String, Grant> out = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceFirst("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String at = where + ":" + (i + 1);
      Grant grant = line(line.split("\\s+"), at);
      if (out.put(grant.tokenHash(), grant) != null) {
        throw new IllegalArgumentException(at + ": the same token is granted twice");
      }
    }
    return Map.copyOf(out);
  }

  private static Grant line(String[] f, String at) {
    if (f.length < 3 || !f[0].startsWith(HASH_PREFIX)) {
      throw new IllegalArgumentException(
          at
              + ": expected \"sha256:HEX node NAMESPACE/SERVICE_ACCOUNT [cluster=GROUP]\" or"
              + " \"sha256:HEX api SCOPE[,SCOPE]\"");
    }
    String hash = f[0].substring(HASH_PREFIX.length());
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(at + ": hash: expected 64 lower-case hex digits");
    }
    return switch (f[1]) {
      case "node" -> node(hash, f, at);
      case "api" -> api(hash, f, at);
      default ->
          throw new IllegalArgumentException(
              at + ": kind: \"" + f[1] + "\" (expected: node or api)");
    };
  }

  private static Grant node(String hash, String[] f, String at) {
    String[] id = f[2].split("/", -1);
    Optional<WorkloadIdentity> identity =
        id.length == 2 ? WorkloadIdentity.parse(id[0], id[1]) : Optional.empty();
    if (identity.isEmpty()) {
      throw new IllegalArgumentException(
          at + ": identity: \"" + f[2] + "\" (expected: NAMESPACE/SERVICE_ACCOUNT)");
    }
    String cluster = identity.get().serviceAccount();
    for (int i = 3; i < f.length; i++) {
      if (!f[i].startsWith("cluster=") || f[i].length() == "cluster=".length()) {
        throw new IllegalArgumentException(
            at + ": \"" + f[i] + "\" (expected: cluster=GROUP or nothing)");
      }
      cluster = f[i].substring("cluster=".length());
    }
    return new Grant.NodeGrant(hash, identity.get(), cluster);
  }

  private static Grant api(String hash, String[] f, String at) {
    if (f.length != 3) {
      throw new IllegalArgumentException(at + ": expected \"sha256:HEX api SCOPE[,SCOPE]\"");
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : f[2].split(",")) {
      scopes.add(
          Scope.of(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          at
                              + ": scope: \""
                              + name
                              + "\" (expected: status, faults or resources)")));
    }
    return new Grant.ApiGrant(hash, scopes);
  }
}
