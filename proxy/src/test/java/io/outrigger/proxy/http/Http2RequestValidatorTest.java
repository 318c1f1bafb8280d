package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
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

  /**
   * Runs one HEADERS frame through the validator: the frame if it may go on, and the reset the
   * stream gets if any (the stream writes the reset with the error the validator names).
   */
  private static Object[] send(Http2Headers headers) {
    Http2HeadersFrame frame = new DefaultHttp2HeadersFrame(headers, true);
    Http2Error error = new Http2RequestValidator().check(frame);
    return error == null
        ? new Object[] {frame, null}
        : new Object[] {null, new DefaultHttp2ResetFrame(error)};
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
    Http2RequestValidator validator = new Http2RequestValidator();
    assertThat(validator.check(new DefaultHttp2HeadersFrame(request(), false))).isNull();

    Http2Error error =
        validator.check(
            new DefaultHttp2HeadersFrame(
                new DefaultHttp2Headers(false).add("x-checksum", new AsciiString("a\r\nb")), true));

    assertThat(error).isEqualTo(Http2Error.PROTOCOL_ERROR);
  }
}
