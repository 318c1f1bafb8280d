package io.outrigger.proxy.http.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RegexRewrite;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathRewriterTest {
  @Test
  void prefixRewriteReplacesTheMatchedPrefixAndKeepsTheQuery() {
    PathRewriter r =
        rewriter(Optional.of("/v2/"), Optional.empty(), new PathMatch.Prefix("/api/"), true);

    assertThat(r.rewritePath("/api/users?id=7&x=/api/")).isEqualTo("/v2/users?id=7&x=/api/");
    assertThat(r.rewritePath("/api/")).isEqualTo("/v2/");
  }

  @Test
  void prefixRewriteOfCaseInsensitiveMatchReplacesWhatMatched() {
    PathRewriter r =
        rewriter(Optional.of("/"), Optional.empty(), new PathMatch.Prefix("/API"), false);

    assertThat(r.rewritePath("/api/users")).isEqualTo("//users");
  }

  @Test
  void prefixRewriteOfExactPathReplacesTheWholePath() {
    PathRewriter r =
        rewriter(Optional.of("/new"), Optional.empty(), new PathMatch.Exact("/old"), true);

    assertThat(r.rewritePath("/old?q=1")).isEqualTo("/new?q=1");
  }

  @Test
  void regexRewriteUsesRe2GroupsOnThePathOnly() {
    PathRewriter r =
        rewriter(
            Optional.empty(),
            Optional.of(new RegexRewrite("^/service/([^/]+)(/.*)$", "\\2/instance/\\1")),
            new PathMatch.Prefix("/"),
            true);

    assertThat(r.rewritePath("/service/foo/v1/api?x=/service/a/b"))
        .isEqualTo("/v1/api/instance/foo?x=/service/a/b");
  }

  @Test
  void regexRewriteReplacesEveryMatchAndKeepsDollarLiteral() {
    PathRewriter r =
        rewriter(
            Optional.empty(),
            Optional.of(new RegexRewrite("o", "$")),
            new PathMatch.Prefix("/"),
            true);

    assertThat(r.rewritePath("/foo/boo")).isEqualTo("/f$$/b$$");
  }

  @Test
  void convertsRe2SubstitutionToJava() {
    assertThat(PathRewriter.javaReplacement("\\1-\\0\\\\x$")).isEqualTo("$1-$0\\\\x\\$");
  }

  @Test
  void hostRewriteLiteralOrAutoFlag() {
    ClusterRoute base = ClusterRoute.to("c");
    ClusterRoute literal =
        new ClusterRoute(
            base.cluster(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("upstream.local"),
            false,
            base.timeout(),
            Optional.empty(),
            List.of(),
            List.of());
    ClusterRoute auto =
        new ClusterRoute(
            base.cluster(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            true,
            base.timeout(),
            Optional.empty(),
            List.of(),
            List.of());

    PathRewriter l = PathRewriter.of(literal, new PathMatch.Prefix("/"), true);
    PathRewriter a = PathRewriter.of(auto, new PathMatch.Prefix("/"), true);

    assertThat(l.rewriteAuthority("front:8080")).isEqualTo("upstream.local");
    assertThat(l.autoHostRewrite()).isFalse();
    assertThat(a.rewriteAuthority("front:8080")).isEqualTo("front:8080");
    assertThat(a.autoHostRewrite()).isTrue();
    assertThat(PathRewriter.NONE.rewritePath("/x?y")).isEqualTo("/x?y");
  }

  private static PathRewriter rewriter(
      Optional<String> prefix,
      Optional<RegexRewrite> regex,
      PathMatch match,
      boolean caseSensitive) {
    ClusterRoute base = ClusterRoute.to("c");
    ClusterRoute route =
        new ClusterRoute(
            base.cluster(),
            prefix,
            regex,
            Optional.empty(),
            false,
            base.timeout(),
            Optional.empty(),
            List.of(),
            List.of());
    return PathRewriter.of(route, match, caseSensitive);
  }
}
