package io.outrigger.proxy.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownHeaderNamesTest {
  private static CharSequence lookup(KnownHeaderNames names, String in, String name) {
    byte[] bytes = in.getBytes(StandardCharsets.US_ASCII);
    int start = in.indexOf(name);
    return names.lookup(bytes, start, name.length());
  }

  @Test
  void sharesTheListedAndTheLowerCaseSpellingsOnly() {
    String line = "xx User-Agent user-agent User-agent Accept Accept-Charset traceparent";
    assertThat(lookup(KnownHeaderNames.REQUESTS, line, "User-Agent")).hasToString("User-Agent");
    assertThat(lookup(KnownHeaderNames.REQUESTS, line, "user-agent")).hasToString("user-agent");
    assertThat(lookup(KnownHeaderNames.REQUESTS, line, "User-agent")).isNull();
    assertThat(lookup(KnownHeaderNames.REQUESTS, line, "Accept")).hasToString("Accept");
    assertThat(lookup(KnownHeaderNames.REQUESTS, line, "Accept-Charset")).isNull();
    assertThat(lookup(KnownHeaderNames.REQUESTS, line, "traceparent")).hasToString("traceparent");
    // Each table is its own: a response name is not shared for requests, nor the reverse.
    assertThat(lookup(KnownHeaderNames.RESPONSES, line, "User-Agent")).isNull();
    assertThat(lookup(KnownHeaderNames.RESPONSES, "Server", "Server")).hasToString("Server");
    assertThat(lookup(KnownHeaderNames.REQUESTS, "Server", "Server")).isNull();
  }

  @Test
  void aListedSpellingHasItsSharedLowerCaseSpellingAndNothingElseHasOne() {
    AsciiString lower = KnownHeaderNames.RESPONSES.lowerCase(AsciiString.of("Set-Cookie"));
    assertThat((CharSequence) lower).hasToString("set-cookie");
    assertThat((Object) KnownHeaderNames.RESPONSES.lowerCase(AsciiString.of("Set-Cookie")))
        .isSameAs(lower)
        .isSameAs(lookup(KnownHeaderNames.RESPONSES, "set-cookie", "set-cookie"));
    assertThat((Object) KnownHeaderNames.RESPONSES.lowerCase(AsciiString.of("SET-COOKIE")))
        .isNull();
    assertThat((Object) KnownHeaderNames.RESPONSES.lowerCase(lower)).isNull();
    assertThat((Object) KnownHeaderNames.RESPONSES.lowerCase(AsciiString.of("User-Agent")))
        .isNull();
  }

  @Test
  void aNameLongerThanEveryListedOneIsNotShared() {
    String name = "X-A-Header-Name-Longer-Than-Any-Listed-One";
    assertThat(lookup(KnownHeaderNames.REQUESTS, name, name)).isNull();
    assertThat(lookup(KnownHeaderNames.RESPONSES, name, name)).isNull();
  }
}
