package io.outrigger.proxy.http.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RedirectResponseCode;
import io.outrigger.api.model.http.RedirectRoute;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedirectBuilderTest {
  private static final PathMatch ROOT = new PathMatch.Prefix("/");

  @Test
  void httpsRedirectKeepsHostPathAndQueryAndDropsDefaultPort() {
    RedirectRoute https = redirect(Optional.of("https"), Optional.empty(), 0, false);

    assertThat(location(https, ROOT, TestRequest.get("example.com:80", "/a?b=1")))
        .isEqualTo("https://example.com/a?b=1");
    assertThat(location(https, ROOT, TestRequest.get("example.com:8080", "/a")))
        .isEqualTo("https://example.com:8080/a");
  }

  @Test
  void hostAndPortRedirect() {
    RedirectRoute r = redirect(Optional.empty(), Optional.of("new.example.com"), 8443, false);

    assertThat(location(r, ROOT, TestRequest.get("old.example.com:8080", "/x")))
        .isEqualTo("http://new.example.com:8443/x");
  }

  @Test
  void pathRedirectAndStripQuery() {
    RedirectRoute path =
        new RedirectRoute(
            Optional.empty(),
            Optional.empty(),
            0,
            Optional.of("/moved"),
            Optional.empty(),
            RedirectResponseCode.FOUND,
            false);
    RedirectRoute pathWithQuery =
        new RedirectRoute(
            Optional.empty(),
            Optional.empty(),
            0,
            Optional.of("/moved?from=old"),
            Optional.empty(),
            RedirectResponseCode.FOUND,
            false);
    RedirectRoute strip = redirect(Optional.empty(), Optional.empty(), 0, true);

    assertThat(location(path, ROOT, TestRequest.get("h", "/old?q=1")))
        .isEqualTo("http://h/moved?q=1");
    assertThat(location(pathWithQuery, ROOT, TestRequest.get("h", "/old?q=1")))
        .isEqualTo("http://h/moved?from=old");
    assertThat(location(strip, ROOT, TestRequest.get("h", "/old?q=1"))).isEqualTo("http://h/old");
  }

  @Test
  void prefixRewriteReplacesTheMatchedPrefix() {
    RedirectRoute r =
        new RedirectRoute(
            Optional.empty(),
            Optional.empty(),
            0,
            Optional.empty(),
            Optional.of("/v2/"),
            RedirectResponseCode.MOVED_PERMANENTLY,
            false);

    assertThat(location(r, new PathMatch.Prefix("/v1/"), TestRequest.get("h", "/v1/users?id=3")))
        .isEqualTo("http://h/v2/users?id=3");
  }

  @Test
  void keepsIpv6LiteralHosts() {
    RedirectRoute https = redirect(Optional.of("https"), Optional.empty(), 0, false);

    assertThat(location(https, ROOT, TestRequest.get("[::1]:80", "/"))).isEqualTo("https://[::1]/");
    assertThat(location(https, ROOT, TestRequest.get("[::1]", "/"))).isEqualTo("https://[::1]/");
  }

  private static RedirectRoute redirect(
      Optional<String> scheme, Optional<String> host, int port, boolean stripQuery) {
    return new RedirectRoute(
        scheme,
        host,
        port,
        Optional.empty(),
        Optional.empty(),
        RedirectResponseCode.MOVED_PERMANENTLY,
        stripQuery);
  }

  private static String location(RedirectRoute r, PathMatch match, TestRequest req) {
    return RedirectBuilder.location(r, match, true, req);
  }
}
