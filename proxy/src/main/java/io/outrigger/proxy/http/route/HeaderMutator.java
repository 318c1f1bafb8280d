package io.outrigger.proxy.http.route;

import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.filters.http.headers.HeaderMutations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The header mutations a route applies, in Envoy's default order: the route's, then its virtual
 * host's, then the route configuration's (a later level wins an overwrite); within each level the
 * removes come before the adds. Empty values are not added (Envoy without {@code
 * keep_empty_value}). Built once per route per config snapshot; stateless after that.
 */
public final class HeaderMutator {
  /** Mutates nothing. */
  public static final HeaderMutator NONE = new HeaderMutator(List.of(), List.of());

  private final HeaderMutation[] request;
  private final HeaderMutation[] response;

  /**
   * {@link #mutateResponse} as a function, made once: a method reference per request is garbage.
   */
  private final Consumer<HttpHeaders> responseMutation = this::mutateResponse;

  private HeaderMutator(List<HeaderMutation> request, List<HeaderMutation> response) {
    this.request = request.toArray(HeaderMutation[]::new);
    this.response = response.toArray(HeaderMutation[]::new);
  }

  /**
   * @param route the route's level
   * @param virtualHost the virtual host's level
   * @param routeConfig the route configuration's level
   */
  public static HeaderMutator of(
      LevelMutations route, LevelMutations virtualHost, LevelMutations routeConfig) {
    List<HeaderMutation> request = new ArrayList<>();
    List<HeaderMutation> response = new ArrayList<>();
    for (LevelMutations level : List.of(route, virtualHost, routeConfig)) {
      if (!level.request().isEmpty()) {
        request.add(level.request());
      }
      if (!level.response().isEmpty()) {
        response.add(level.response());
      }
    }
    return request.isEmpty() && response.isEmpty() ? NONE : new HeaderMutator(request, response);
  }

  /** One level's request and response mutations. */
  public record LevelMutations(HeaderMutation request, HeaderMutation response) {}

  /** Applies the request mutations to the headers about to go upstream. */
  public void mutateRequest(HttpHeaders headers) {
    apply(request, headers);
  }

  /** {@link #mutateResponse} as a function; the same instance every time. */
  public Consumer<HttpHeaders> responseMutation() {
    return responseMutation;
  }

  /** Applies the response mutations to the headers about to go downstream. */
  public void mutateResponse(HttpHeaders headers) {
    apply(response, headers);
  }

  private static void apply(HeaderMutation[] levels, HttpHeaders headers) {
    for (HeaderMutation level : levels) {
      HeaderMutations.apply(level, headers);
    }
  }
}
