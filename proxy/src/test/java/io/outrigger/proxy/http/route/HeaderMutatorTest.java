package io.outrigger.proxy.http.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.api.model.http.HeaderAppendAction;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.HeaderValueOption;
import io.outrigger.proxy.http.route.HeaderMutator.LevelMutations;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderMutatorTest {
  @Test
  void appliesRouteThenVirtualHostThenRouteConfigSoTheLastOverwriteWins() {
    HeaderMutator mutator =
        HeaderMutator.of(
            request(add("x-level", "route", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)),
            request(add("x-level", "vhost", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)),
            request(add("x-level", "config", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
    HttpHeaders headers = new DefaultHttpHeaders().add("x-level", "client");

    mutator.mutateRequest(headers);

    assertThat(headers.getAll("x-level")).containsExactly("config");
  }

  @Test
  void appendsInLevelOrder() {
    HeaderMutator mutator =
        HeaderMutator.of(
            request(HeaderValueOption.append("x-trail", "route")),
            request(HeaderValueOption.append("x-trail", "vhost")),
            request(HeaderValueOption.append("x-trail", "config")));
    HttpHeaders headers = new DefaultHttpHeaders().add("x-trail", "client");

    mutator.mutateRequest(headers);

    assertThat(headers.getAll("x-trail")).containsExactly("client", "route", "vhost", "config");
  }

  @Test
  void removesBeforeAddsWithinALevel() {
    HeaderMutator mutator =
        HeaderMutator.of(
            new LevelMutations(
                new HeaderMutation(
                    List.of(HeaderValueOption.append("x-id", "proxy")), List.of("X-Id")),
                HeaderMutation.NONE),
            none(),
            none());
    HttpHeaders headers = new DefaultHttpHeaders().add("x-id", "client");

    mutator.mutateRequest(headers);

    assertThat(headers.getAll("x-id")).containsExactly("proxy");
  }

  @Test
  void appendActions() {
    HeaderMutator mutator =
        HeaderMutator.of(
            request(
                add("x-absent", "a", HeaderAppendAction.ADD_IF_ABSENT),
                add("x-present", "a", HeaderAppendAction.ADD_IF_ABSENT),
                add("x-only-if", "a", HeaderAppendAction.OVERWRITE_IF_EXISTS),
                add("x-over", "a", HeaderAppendAction.OVERWRITE_IF_EXISTS),
                add("x-empty", "", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)),
            none(),
            none());
    HttpHeaders headers = new DefaultHttpHeaders().add("x-present", "old").add("x-over", "old");

    mutator.mutateRequest(headers);

    assertThat(headers.getAll("x-absent")).containsExactly("a");
    assertThat(headers.getAll("x-present")).containsExactly("old");
    assertThat(headers.contains("x-only-if")).isFalse();
    assertThat(headers.getAll("x-over")).containsExactly("a");
    assertThat(headers.contains("x-empty")).isFalse();
  }

  @Test
  void responseMutationsAreSeparate() {
    HeaderMutator mutator =
        HeaderMutator.of(
            new LevelMutations(
                HeaderMutation.NONE,
                new HeaderMutation(
                    List.of(HeaderValueOption.append("x-served-by", "outrigger")),
                    List.of("server"))),
            none(),
            none());
    HttpHeaders request = new DefaultHttpHeaders();
    HttpHeaders response = new DefaultHttpHeaders().add("server", "upstream");

    mutator.mutateRequest(request);
    mutator.mutateResponse(response);

    assertThat(request.isEmpty()).isTrue();
    assertThat(response.get("x-served-by")).isEqualTo("outrigger");
    assertThat(response.contains("server")).isFalse();
    assertThat(HeaderMutator.of(none(), none(), none())).isSameAs(HeaderMutator.NONE);
  }

  private static HeaderValueOption add(String key, String value, HeaderAppendAction action) {
    return new HeaderValueOption(key, value, action);
  }

  private static LevelMutations request(HeaderValueOption... adds) {
    return new LevelMutations(new HeaderMutation(List.of(adds), List.of()), HeaderMutation.NONE);
  }

  private static LevelMutations none() {
    return new LevelMutations(HeaderMutation.NONE, HeaderMutation.NONE);
  }
}
