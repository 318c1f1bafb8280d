package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Http2RequestValidatorTest {
  private static Http2Headers request() {
    return new DefaultHttp2Headers(false)
        .method("GET")
        .scheme("http")
        .path("/kv/a")
        .authority("example.com");
  }

  /** Runs one HEADERS frame through the validator: what went on, and the reset if any. */
  private static Object[] send(Http2Headers headers) {
    EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestValidator());
    ch.writeInbound(new DefaultHttp2HeadersFrame(headers, true));
    Object passed = ch.readInbound();
    Object written = ch.readOutbound();
    ch.finishAndReleaseAll();
    return new Object[] {passed, written};
  }

  @Test
  void aValidRequestPassesWithItsValuesUntouched() {
    Object[] r = send(request().add("x-track", "canary, blue\tgreen").add("x-obs", "caf\u00e9"));

    assertThat(r[0]).isInstanceOf(Http2HeadersFrame.class);
    assertThat(((Http2HeadersFrame) r[0]).headers().get("x-track").toString())
        .isEqualTo("canary, blue\tgreen");
    assertThat(r[1]).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\r\nx-injected: 1",
        "a\nb",
        "a\rb",
        "a\u0000b",
        "a\u0001b",
        "a\u007fb",
        " leading",
        "trailing\t"
      })
  void aValueThatCouldSmuggleAHeaderLineResetsTheStream(String value) {
    // As HPACK hands them over (AsciiString) and as a String, for both paths of the check.
    for (CharSequence v : new CharSequence[] {new AsciiString(value), value}) {
      Object[] r = send(request().add("x-value", v));

      assertThat(r[0]).as("nothing goes on for %s", value).isNull();
      assertThat(r[1]).isInstanceOf(Http2ResetFrame.class);
      assertThat(((Http2ResetFrame) r[1]).errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    }
  }

  @Test
  void trailersAreCheckedToo() {
    EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestValidator());
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(), false));
    assertThat((Object) ch.readInbound()).isInstanceOf(Http2HeadersFrame.class);

    ch.writeInbound(
        new DefaultHttp2HeadersFrame(
            new DefaultHttp2Headers(false).add("x-checksum", new AsciiString("a\r\nb")), true));

    assertThat((Object) ch.readInbound()).isNull();
    assertThat((Object) ch.readOutbound()).isInstanceOf(Http2ResetFrame.class);
    ch.finishAndReleaseAll();
  }
}
