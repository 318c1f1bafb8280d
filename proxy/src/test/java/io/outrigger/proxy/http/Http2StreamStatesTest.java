package io.outrigger.proxy.http;

import static io.outrigger.proxy.testkit.RawHttp2.DATA;
import static io.outrigger.proxy.testkit.RawHttp2.END_HEADERS;
import static io.outrigger.proxy.testkit.RawHttp2.END_STREAM;
import static io.outrigger.proxy.testkit.RawHttp2.GET;
import static io.outrigger.proxy.testkit.RawHttp2.GOAWAY;
import static io.outrigger.proxy.testkit.RawHttp2.HEADERS;
import static io.outrigger.proxy.testkit.RawHttp2.RST_STREAM;
import static io.outrigger.proxy.testkit.RawHttp2.SETTINGS;
import static io.outrigger.proxy.testkit.RawHttp2.WINDOW_UPDATE;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Error;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.LeakDetectionExtension;
import io.outrigger.proxy.testkit.RawHttp2;
import io.outrigger.proxy.testkit.RawHttp2.Frame;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A downstream HTTP/2 connection answers frames on streams in the wrong state with the error RFC
 * 9113 (sections 5.1, 5.1.1 and 6.9.1) names, as a stream error or a connection error, and a
 * connection error's GOAWAY carries that error's code. Raw frames on a socket, so that the test
 * sends what no well-behaved client library would; these are the cases h2spec checked and Outrigger
 * failed (docs/conformance.md).
 */
@ExtendWith(LeakDetectionExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2StreamStatesTest {
  private TcpUpstream upstream;
  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    upstream =
        TcpUpstream.start(
            (s, u) -> {
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              while (TcpUpstream.readHead(in)) {
                out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(US_ASCII));
                out.flush();
              }
            });
    sidecar = SidecarFixture.start(Bootstraps.httpProxy("edge", upstream.port()), Map.of());
  }

  @AfterEach
  void stop() throws IOException {
    sidecar.close();
    upstream.close();
  }

  /**
   * RFC 9113 asks for STREAM_CLOSED here; Netty's codec resets the stream with PROTOCOL_ERROR
   * before its state check runs, and no hook ahead of that check can tell this frame from a
   * PRIORITY frame that depends on itself, which must be PROTOCOL_ERROR (docs/conformance.md). What
   * matters holds: a stream error, and the connection serves the next stream.
   */
  @Test
  void headersOnAHalfClosedRemoteStreamResetThatStreamAndKeepTheConnection() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 3, GET);
      out.flush();

      List<Frame> got = readUntil(s, f -> f.stream() == 3 && f.endsStream());
      assertThat(got)
          .anySatisfy(
              f -> {
                assertThat(f.type()).isEqualTo(RST_STREAM);
                assertThat(f.stream()).isEqualTo(1);
                assertThat(f.code())
                    .isIn(Http2Error.STREAM_CLOSED.code(), Http2Error.PROTOCOL_ERROR.code());
              })
          .noneMatch(f -> f.type() == GOAWAY);
    }
  }

  @Test
  void headersOnAStreamClosedByBothEndsAreAConnectionErrorStreamClosed() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
      out.flush();
      readUntil(s, f -> f.stream() == 1 && f.endsStream());

      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
      out.flush();

      assertThat(goAway(s).code()).isEqualTo(Http2Error.STREAM_CLOSED.code());
    }
  }

  @Test
  void aStreamIdLowerThanOneAlreadyOpenedIsAConnectionErrorProtocolError() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 5, GET);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 3, GET);
      out.flush();

      assertThat(goAway(s).code()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    }
  }

  @Test
  void aConnectionWindowPushedPastTheLimitIsAConnectionErrorFlowControlError() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      byte[] increment = RawHttp2.int32(Integer.MAX_VALUE);
      RawHttp2.write(out, WINDOW_UPDATE, 0, 0, increment);
      RawHttp2.write(out, WINDOW_UPDATE, 0, 0, increment);
      out.flush();

      assertThat(goAway(s).code()).isEqualTo(Http2Error.FLOW_CONTROL_ERROR.code());
    }
  }

  @Test
  void headersAfterTheClientResetItsStreamResetItWithStreamClosedAndKeepTheConnection()
      throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      RawHttp2.write(out, HEADERS, END_HEADERS, 1, GET);
      RawHttp2.write(out, RST_STREAM, 0, 1, RawHttp2.int32(0x8)); // CANCEL
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 3, GET);
      out.flush();

      List<Frame> got = readUntil(s, f -> f.stream() == 3 && f.endsStream());
      assertThat(got)
          .as("the stream error on 1, then stream 3 answered on the same connection")
          .anySatisfy(
              f -> {
                assertThat(f.type()).isEqualTo(RST_STREAM);
                assertThat(f.stream()).isEqualTo(1);
                assertThat(f.code()).isEqualTo(Http2Error.STREAM_CLOSED.code());
              })
          .noneMatch(f -> f.type() == GOAWAY);
    }
  }

  /**
   * A client may have DATA in flight on a stream the proxy reset; RFC 9113 says to discard it. Only
   * streams the client ended itself, or never opened, close the connection.
   */
  @Test
  void dataOnAStreamTheProxyResetWhileTheClientSentIsAStreamErrorOnly() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      byte[] noPath = {(byte) 0x82, (byte) 0x86, 0x41, 0x01, 'a'}; // GET http, no :path
      RawHttp2.write(out, HEADERS, END_HEADERS, 1, noPath);
      out.flush();
      readUntil(s, f -> f.type() == RST_STREAM && f.stream() == 1);

      RawHttp2.write(out, DATA, END_STREAM, 1, new byte[] {'x'});
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 3, GET);
      out.flush();

      assertThat(readUntil(s, f -> f.stream() == 3 && f.endsStream()))
          .noneMatch(f -> f.type() == GOAWAY);
    }
  }

  /** What a connection remembers is bounded; past it, a frame gets the lesser error. */
  @Test
  void aFrameOnAStreamEndedLongerAgoThanTheConnectionRemembersIsAStreamErrorOnly()
      throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      int streams = ClosedStreamRules.ENDED + 1;
      for (int i = 0; i < streams; i++) {
        RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 2 * i + 1, GET);
      }
      out.flush();
      int[] answered = {0};
      readUntil(s, f -> f.endsStream() && ++answered[0] == streams);

      int next = 2 * streams + 1;
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, next, GET);
      out.flush();

      assertThat(readUntil(s, f -> f.stream() == next && f.endsStream()))
          .anyMatch(f -> f.type() == RST_STREAM && f.stream() == 1)
          .noneMatch(f -> f.type() == GOAWAY);
    }
  }

  /**
   * The connection remembers the last few runs of skipped ids: a frame on a recently skipped id
   * closes it, one on an id skipped longer ago gets the lesser error.
   */
  @Test
  void onlyTheLastRunsOfSkippedIdsAreRemembered() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      // Streams 1, 5, 9, ...: each after the first skips one id, one run more than remembered.
      int streams = ClosedStreamRules.SKIPS + 2;
      int id = 1;
      for (int i = 0; i < streams; i++) {
        RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, id, GET);
        id += 4;
      }
      out.flush();
      int[] answered = {0};
      readUntil(s, f -> f.endsStream() && ++answered[0] == streams);

      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 3, GET); // the oldest run
      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, id, GET);
      out.flush();
      int last = id;
      assertThat(readUntil(s, f -> f.stream() == last && f.endsStream()))
          .anyMatch(f -> f.type() == RST_STREAM && f.stream() == 3)
          .noneMatch(f -> f.type() == GOAWAY);

      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, last - 2, GET); // the newest run
      out.flush();
      assertThat(goAway(s).code()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
    }
  }

  /**
   * A stream refused past {@code max_concurrent_streams} was used by the client, which may have
   * DATA on it in flight: once a higher stream has opened, that DATA is a stream error, not the
   * frame on a never-opened stream that closes the connection.
   */
  @Test
  void dataOnAStreamRefusedPastTheStreamLimitIsAStreamErrorOnly() throws Exception {
    restartWithOneStreamAtATime();
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      streamOneAndOneTooMany(out);
      out.flush();
      readUntil(s, f -> f.stream() == 1 && f.endsStream());

      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 5, GET);
      RawHttp2.write(
          out, DATA, END_STREAM, 3, new byte[] {'x'}); // sent before the client saw the refusal
      out.flush();

      List<Frame> got = readUntil(s, f -> f.stream() == 5 && f.endsStream());
      assertThat(got).noneMatch(f -> f.type() == GOAWAY);
    }
  }

  /** The same, when the DATA comes before any higher stream opened (Netty's own check). */
  @Test
  void dataOnAStreamRefusedBeforeAnyHigherOpenedIsAStreamErrorOnly() throws Exception {
    restartWithOneStreamAtATime();
    try (Socket s = connect()) {
      OutputStream out = frames(s);
      streamOneAndOneTooMany(out);
      RawHttp2.write(out, DATA, END_STREAM, 3, new byte[] {'x'}); // in flight with it
      out.flush();
      assertThat(readUntil(s, f -> f.stream() == 1 && f.endsStream()))
          .noneMatch(f -> f.type() == GOAWAY);

      RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 5, GET);
      out.flush();
      assertThat(readUntil(s, f -> f.stream() == 5 && f.endsStream()))
          .noneMatch(f -> f.type() == GOAWAY);
    }
  }

  // ---- helpers ----

  /**
   * Where a test writes its frames: each flush leaves in one write, so that the sidecar reads the
   * frames of one flush together, before an upstream can answer between them.
   */
  private static OutputStream frames(Socket s) throws IOException {
    return new BufferedOutputStream(s.getOutputStream(), 1 << 20);
  }

  /** The sidecar again, its listener taking one HTTP/2 stream at a time per connection. */
  private void restartWithOneStreamAtATime() throws Exception {
    sidecar.close();
    sidecar =
        SidecarFixture.start(
            Bootstraps.httpProxy("edge", upstream.port())
                .replaceFirst(
                    "(?m)^( *)stat_prefix: edge$",
                    "$1stat_prefix: edge\n$1http2_protocol_options: { max_concurrent_streams: 1 }"),
            Map.of());
  }

  /**
   * Acknowledges the sidecar's settings (its stream limit applies from there), then opens 1 and 3.
   */
  private static void streamOneAndOneTooMany(OutputStream out) throws IOException {
    RawHttp2.write(out, SETTINGS, 0x1, 0, new byte[0]);
    RawHttp2.write(out, HEADERS, END_HEADERS | END_STREAM, 1, GET);
    RawHttp2.write(out, HEADERS, END_HEADERS, 3, GET); // one stream too many: refused
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", sidecar.listener("edge").getPort());
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(RawHttp2.PREFACE);
    RawHttp2.write(out, SETTINGS, 0, 0, new byte[0]);
    return s;
  }

  private static List<Frame> readUntil(Socket s, Predicate<Frame> until) throws IOException {
    return RawHttp2.readUntil(new DataInputStream(s.getInputStream()), until);
  }

  /** The first GOAWAY the sidecar sends; the connection then closes. */
  private static Frame goAway(Socket s) throws IOException {
    List<Frame> got = readUntil(s, f -> f.type() == GOAWAY);
    Frame goAway = got.get(got.size() - 1);
    assertThat(s.getInputStream().read())
        .as("the connection closes after the GOAWAY")
        .isEqualTo(-1);
    return goAway;
  }
}
