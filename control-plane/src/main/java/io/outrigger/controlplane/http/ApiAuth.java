package io.outrigger.controlplane.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import io.outrigger.controlplane.auth.AuthRefusals;
import io.outrigger.controlplane.auth.Bearer;
import io.outrigger.controlplane.auth.Grant;
import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.Tokens;
import java.util.Optional;

/**
 * Admits an API request only with {@code authorization: Bearer TOKEN} of an API token whose scopes
 * hold what the request needs: {@link Scope#STATUS} to read ({@code GET}), the route's write scope
 * otherwise. 401 (with {@code WWW-Authenticate: Bearer}) without a token or with one the file does
 * not grant, 403 with a token outside its scope or a node token; checked before the route runs, so
 * a refused request changes nothing. Every refusal is counted ({@link AuthRefusals}, surface {@code
 * http}). Without a token file ({@code --insecure-no-auth}) everything is admitted.
 */
final class ApiAuth {
  private final Optional<Tokens> tokens;
  private final AuthRefusals refusals;

  ApiAuth(Optional<Tokens> tokens, AuthRefusals refusals) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.refusals = requireNonNull(refusals, "refusals");
  }

  /**
   * The refusal of {@code exchange}, or empty when it may go on.
   *
   * @param writeScope what a request other than {@code GET} needs on this route
   */
  Optional<Reply> check(HttpExchange exchange, Scope writeScope) {
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    String who =
        exchange.getRemoteAddress().getAddress().getHostAddress()
            + " "
            + exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI().getPath();
    Optional<String> token = Bearer.token(exchange.getRequestHeaders().getFirst(Bearer.HEADER));
    if (token.isEmpty()) {
      return unauthorized(exchange, "missing_token", who, "no bearer token");
    }
    Optional<Grant> grant = tokens.get().lookup(token.get());
    if (grant.isEmpty()) {
      return unauthorized(exchange, "unknown_token", who, "token not granted");
    }
    if (!(grant.get() instanceof Grant.ApiGrant api)) {
      refusals.refused("http", "wrong_kind", who, "a node token is not an API token");
      return Optional.of(Reply.error(403, "a node token cannot use the API"));
    }
    Scope needed = "GET".equals(exchange.getRequestMethod()) ? Scope.STATUS : writeScope;
    if (!api.scopes().contains(needed)) {
      refusals.refused("http", "scope", who, "needs scope " + needed.wireName());
      return Optional.of(Reply.error(403, "the token lacks scope \"" + needed.wireName() + "\""));
    }
    return Optional.empty();
  }

  private Optional<Reply> unauthorized(
      HttpExchange exchange, String reason, String who, String detail) {
    refusals.refused("http", reason, who, detail);
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"outrigger\"");
    return Optional.of(
        Reply.error(401, detail + " (expected: authorization: Bearer TOKEN of an API token)"));
  }
}
