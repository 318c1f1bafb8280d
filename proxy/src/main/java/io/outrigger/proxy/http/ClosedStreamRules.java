package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.List;

/**
 * A downstream connection's decoder, around Netty's, that answers a HEADERS or DATA frame on a
 * stream Netty no longer holds with the connection error RFC 9113 names when the connection knows
 * what the stream was, where Netty resets the stream (a stream error of type STREAM_CLOSED) because
 * it cannot tell:
 *
 * <ul>
 *   <li>a stream id the client skipped (it opened a higher one first) was never opened: a new
 *       stream's id must be greater than every id the client used (section 5.1.1), so the frame is
 *       a connection error of type PROTOCOL_ERROR;
 *   <li>a stream the client ended (END_STREAM) and that has closed since: the client can have
 *       nothing more in flight on it, so the frame is a connection error of type STREAM_CLOSED
 *       (section 5.1, closed).
 * </ul>
 *
 * <p>Any other closed stream keeps Netty's stream error: in particular a stream the proxy reset
 * while the client was still sending, whose frames in flight RFC 9113 says to discard, not to close
 * the connection for. What the connection remembers is bounded: the last {@value #ENDED} streams
 * the client ended and the last {@value #SKIPS} runs of skipped ids; a frame on a stream older than
 * that gets Netty's stream error, the lesser of the two.
 *
 * <p>Runs on the connection's event loop, inside Netty's {@code Http2FrameCodec}: the connection
 * tells which streams the client opened, the codec's frame listener (wrapped) which streams it
 * ended, and a stream error the decoder throws for a stream it does not hold is raised to a
 * connection error when the rules above apply (the codec then sends GOAWAY with that error's code
 * and closes the connection).
 */
final class ClosedStreamRules extends DecoratingHttp2ConnectionDecoder {
  static final int ENDED = 32;
  static final int SKIPS = 4;

  /** The highest stream id the client opened, 0 before its first. */
  private int highest;

  /** The ids of the last streams the client ended, in a ring; made at the first. */
  private int[] ended;

  private int endedNext;

  /** Runs of ids the client skipped, as pairs (first, last), in a ring; made at the first. */
  private int[] skipped;

  private int skippedNext;

  private final Http2ServerConnection connection;

  ClosedStreamRules(Http2ConnectionDecoder delegate, Http2ServerConnection connection) {
    super(delegate);
    this.connection = connection;
    // Every stream Netty made for the client, those it then reset for a bad HEADERS frame too;
    // those it refused to make are learnt from their errors (raised).
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamAdded(Http2Stream stream) {
            if (connection.remote().isValidStreamId(stream.id())) {
              opened(stream.id());
            }
          }
        });
  }

  @Override
  public void decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Http2Exception {
    try {
      super.decodeFrame(ctx, in, out);
    } catch (Http2Exception.StreamException e) {
      throw raised(e);
    }
  }

  /** The connection error a stream error on a stream Netty no longer holds is, or the error. */
  Http2Exception raised(Http2Exception.StreamException e) {
    int id = e.streamId();
    if (id > highest && connection.remote().isValidStreamId(id)) {
      // A stream Netty refused as it opened (REFUSED_STREAM past max_concurrent_streams): the
      // client used the id and may have DATA on it in flight, which is then a stream error too.
      opened(id);
      connection.unmade(id);
      return e;
    }
    if (e.error() != Http2Error.STREAM_CLOSED
        || !connection.remote().isValidStreamId(id)
        || connection.stream(id) != null) {
      return e;
    }
    if (wasSkipped(id)) {
      return Http2Exception.connectionError(
          Http2Error.PROTOCOL_ERROR,
          e,
          "a frame on stream %d, which was never opened: the client opened stream %d before it",
          id,
          highest);
    }
    if (wasEnded(id)) {
      return Http2Exception.connectionError(
          Http2Error.STREAM_CLOSED,
          e,
          "a frame on stream %d, which the client ended and which is closed",
          id);
    }
    return e;
  }

  private boolean wasSkipped(int id) {
    if (skipped != null) {
      for (int i = 0; i < skipped.length; i += 2) {
        if (skipped[i] != 0 && id >= skipped[i] && id <= skipped[i + 1]) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean wasEnded(int id) {
    if (ended != null) {
      for (int e : ended) {
        if (e == id) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The client opened stream {@code id} (or tried to), which is higher than any before it (Netty
   * refuses a lower one): the ids between the highest before it and it were skipped. A client's ids
   * are odd.
   */
  void opened(int id) {
    int first = highest + (highest == 0 ? 1 : 2);
    if (id > first) {
      if (skipped == null) {
        skipped = new int[2 * SKIPS];
      }
      skipped[skippedNext] = first;
      skipped[skippedNext + 1] = id - 2;
      skippedNext = (skippedNext + 2) % skipped.length;
    }
    highest = id;
  }

  /** The client sent END_STREAM on stream {@code id}. */
  void ended(int id) {
    if (ended == null) {
      ended = new int[ENDED];
    }
    ended[endedNext] = id;
    endedNext = (endedNext + 1) % ENDED;
  }

  @Override
  public void frameListener(Http2FrameListener listener) {
    super.frameListener(listener == null ? null : new Tracking(listener));
  }

  @Override
  public Http2FrameListener frameListener() {
    Http2FrameListener l = super.frameListener();
    return l instanceof Tracking t ? t.listener() : l;
  }

  /** Learns, from the frames Netty accepted, which streams the client ended. */
  private final class Tracking extends Http2FrameListenerDecorator {
    Tracking(Http2FrameListener listener) {
      super(listener);
    }

    Http2FrameListener listener() {
      return listener;
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
        throws Http2Exception {
      if (endOfStream) {
        ended(streamId);
      }
      return listener.onDataRead(ctx, streamId, data, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      if (endOfStream) {
        ended(streamId);
      }
      listener.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      if (endOfStream) {
        ended(streamId);
      }
      listener.onHeadersRead(
          ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
    }
  }
}
