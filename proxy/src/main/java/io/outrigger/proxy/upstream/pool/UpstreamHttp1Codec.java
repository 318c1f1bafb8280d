package io.outrigger.proxy.upstream.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.outrigger.proxy.codec.CompactHeaders;
import io.outrigger.proxy.codec.Http1HeaderWriter;
import io.outrigger.proxy.codec.KnownHeaderNames;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's request encoder and response decoder, with
 * what a pooled proxy connection needs beyond Netty's {@code HttpClientCodec}: it can tell whether
 * the decoder still holds bytes that belong to no response ({@link #buffered()}), so that a
 * connection goes back to the pool only when the last response ended exactly at its framing.
 *
 * <p>As in {@code HttpClientCodec}, the decoder pairs each response with its request's method: a
 * response to {@code HEAD} and a 2xx to {@code CONNECT} have no body whatever their headers say.
 * Unlike it, the decoder and the encoder sit in the pipeline as two plain handlers ({@link
 * #install}), not one combined handler that every read and write passes through twice.
 */
final class UpstreamHttp1Codec {
  static final String DECODER = "http1-decoder";
  static final String ENCODER = "http1-encoder";

  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
  private final Decoder decoder;
  private final Encoder encoder;

  UpstreamHttp1Codec(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxInitialLineLength)
            .setMaxHeaderSize(maxHeaderSize)
            .setMaxChunkSize(maxChunkSize)
            .setAllowDuplicateContentLengths(false)
            .setHeadersFactory(CompactHeaders.HEADERS)
            .setTrailersFactory(CompactHeaders.TRAILERS)
            .setStrictLineParsing(true);
    decoder = new Decoder(config);
    encoder = new Encoder();
  }

  /** Adds the decoder and the encoder at the end of an upstream connection's pipeline. */
  void install(ChannelPipeline p) {
    p.addLast(DECODER, decoder).addLast(ENCODER, encoder);
  }

  /** Takes the codec out of a pipeline (after a 101, the connection carries raw bytes). */
  static void uninstall(ChannelPipeline p) {
    if (p.get(ENCODER) != null) {
      p.remove(ENCODER);
    }
    if (p.get(DECODER) != null) {
      p.remove(DECODER);
    }
  }

  Decoder decoder() {
    return decoder;
  }

  Encoder encoder() {
    return encoder;
  }

  /** Records each request's method for the response decoder. */
  final class Encoder extends HttpRequestEncoder {
    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out)
        throws Exception {
      if (msg instanceof HttpRequest request) {
        methods.add(request.method());
      }
      super.encode(ctx, msg, out);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      Http1HeaderWriter.write(headers, buf);
    }
  }

  /**
   * Decodes responses; knows which have no body by their request's method. A final response whose
   * whole body is already read comes out as one {@link FullHttpResponse} ({@link #decode}).
   */
  final class Decoder extends HttpResponseDecoder {
    /** The method of the request whose response is being decoded. */
    private HttpMethod answering;

    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    /**
     * Netty's decoding, with one difference: when a final response's headers and its whole body (or
     * its end, for a response without one) are decoded from the same bytes, they go on as one
     * {@link FullHttpResponse} instead of the headers and a {@link LastHttpContent}.
     *
     * <p>Why: each message written to the downstream passes through its pipeline and becomes a
     * buffer of its own in the socket's write; one message instead of two halves that, and Netty's
     * encoder copies a short body into the buffer of the headers (a sliced body also costs two
     * {@code ByteBuffer} views per write). Envoy and HAProxy likewise copy a response's head and
     * body into one output buffer.
     *
     * <p>The second call is what {@code ByteToMessageDecoder} would make next with the bytes left;
     * only the headers are held back until it returns. Interim responses, answers to {@code
     * CONNECT}, bodies not yet wholly read and anything the decoder marked as failed go on as
     * before.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      int at = out.size();
      super.decode(ctx, in, out);
      if (out.size() == at + 1 && in.isReadable() && isHeadersOnly(out.get(at))) {
        super.decode(ctx, in, out);
      }
      if (out.size() == at + 2
          && out.get(at) instanceof HttpResponse head
          && isHeadersOnly(head)
          && out.get(at + 1) instanceof LastHttpContent last
          && canJoin(head, last)) {
        out.set(
            at,
            new DefaultFullHttpResponse(
                head.protocolVersion(),
                head.status(),
                last.content(),
                head.headers(),
                last.trailingHeaders()));
        out.remove(at + 1);
      }
    }

    private static boolean isHeadersOnly(Object msg) {
      return msg instanceof HttpResponse && !(msg instanceof HttpContent);
    }

    private boolean canJoin(HttpResponse head, LastHttpContent last) {
      int code = head.status().code();
      return code >= 200
          && code <= 599
          && !HttpMethod.CONNECT.equals(answering)
          && head.decoderResult().isSuccess()
          && last.decoderResult().isSuccess();
    }

    int buffered() {
      return actualReadableBytes();
    }

    /** The status line's common words are shared strings, not new ones per response. */
    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
      String version = StatusLineWords.version(sb, start, length);
      return version != null ? version : super.splitFirstWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
      String code = StatusLineWords.code(sb, start, length);
      return code != null ? code : super.splitSecondWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
      String reason = StatusLineWords.reason(sb, start, length);
      return reason != null ? reason : super.splitThirdWordInitialLine(sb, start, length);
    }

    /** Common names are shared constants rather than a new name per header per response. */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
      AsciiString known = KnownHeaderNames.RESPONSES.lookup(sb, start, length);
      return known != null ? known : super.splitHeaderName(sb, start, length);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      int code = ((HttpResponse) msg).status().code();
      if (code >= 100 && code < 200 && code != 101) {
        return true; // an interim response: the final one still answers the same request
      }
      HttpMethod method = methods.poll();
      answering = method;
      if (HttpMethod.HEAD.equals(method)) {
        return true;
      }
      if (HttpMethod.CONNECT.equals(method) && code >= 200 && code < 300) {
        return true;
      }
      return super.isContentAlwaysEmpty(msg);
    }
  }
}
