package io.outrigger.cli;

import io.outrigger.cli.mesh.MeshTokens;
import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.TokenFile;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code outrigger certs token}: makes a new token, adds its hash and grant to the control plane's
 * token file (created owner-only if absent; the running control plane reads it within a second),
 * and writes the token itself to {@code --out} (owner-only) or standard output. Revoking is
 * deleting the line.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a bootstrap token for a sidecar (--node) or an API token (--api), and grants it in"
          + " the control plane's token file (its --tokens).",
      "The file holds only the token's SHA-256; revoke a token by deleting its line. See"
          + " docs/security.md."
    })
final class CertsToken implements Callable<Integer> {
  @Option(
      names = "--tokens",
      required = true,
      paramLabel = "FILE",
      description = "The control plane's token file; created if absent.")
  Path tokens;

  @Option(
      names = "--node",
      paramLabel = "NAMESPACE/SERVICE_ACCOUNT",
      description =
          "A sidecar token: the only identity it is issued, spiffe://DOMAIN/ns/NAMESPACE/sa/"
              + "SERVICE_ACCOUNT.")
  String node;

  @Option(
      names = "--cluster",
      paramLabel = "GROUP",
      description =
          "With --node: the node.cluster (node group) the sidecar must send (default: the service"
              + " account).")
  String cluster;

  @Option(
      names = "--api",
      split = ",",
      paramLabel = "SCOPE",
      description = "An API token with these scopes: status, faults, resources (comma-separated).")
  List<String> api;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the token, owner-only (default: standard output).")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    String token = TokenFile.newToken(new SecureRandom());
    Optional<String> line;
    try {
      line = line(token);
    } catch (IllegalArgumentException e) {
      err.println("certs token: " + e.getMessage());
      return Outrigger.EXIT_CONFIG;
    }
    if (line.isEmpty()) {
      err.println("certs token: one of --node or --api required");
      return Outrigger.EXIT_CONFIG;
    }
    if (!Files.exists(tokens)) {
      Files.createFile(tokens, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Files.writeString(tokens, line.get() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    if (out != null) {
      MeshTokens.writePrivate(out, token + "\n");
      spec.commandLine().getOut().printf("token written to %s, granted in %s%n", out, tokens);
    } else {
      spec.commandLine().getOut().println(token);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private Optional<String> line(String token) {
    if (node != null && api != null) {
      throw new IllegalArgumentException("--node and --api: both given (expected: one)");
    }
    if (node != null) {
      String[] parts = node.split("/", -1);
      WorkloadIdentity id =
          (parts.length == 2
                  ? WorkloadIdentity.parse(parts[0], parts[1])
                  : Optional.<WorkloadIdentity>empty())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--node: \"" + node + "\" (expected: NAMESPACE/SERVICE_ACCOUNT)"));
      String suffix = cluster == null ? "" : " cluster=" + cluster;
      // Through the parser, so that what is appended is what the control plane will read.
      String text = TokenFile.nodeLine(token, id) + suffix;
      TokenFile.parse(text, "--cluster");
      return Optional.of(text + "  # " + id.namespace() + "/" + id.serviceAccount());
    }
    if (api != null) {
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String name : api) {
        scopes.add(
            Scope.of(name)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--api: scope \""
                                + name
                                + "\" (expected: status, faults or resources)")));
      }
      return Optional.of(TokenFile.apiLine(token, scopes) + "  # api " + String.join(",", api));
    }
    return Optional.empty();
  }
}
