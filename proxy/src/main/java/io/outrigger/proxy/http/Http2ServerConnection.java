package io.outrigger.proxy.http;

import io.netty.handler.codec.http2.DefaultHttp2Connection;

/**
 * A downstream HTTP/2 connection's state, Netty's, that also counts as used the stream ids Netty
 * made no stream for: a stream refused as it opened (REFUSED_STREAM past {@code
 * max_concurrent_streams}) or a HEADERS frame refused before its stream was made.
 *
 * <p>Netty decides whether a frame on a stream it does not hold is on a closed stream (a stream
 * error) or on one that never existed (a connection error, PROTOCOL_ERROR) by the highest stream it
 * made. A client whose stream was refused may have DATA on it in flight, and until the client opens
 * a higher stream, Netty took that DATA for a frame on a stream that never existed and closed the
 * connection, ending its other streams. RFC 9113 says to discard such frames, so the refused id
 * counts here as a stream that may have existed: the DATA is a stream error on a closed stream. The
 * ids are learnt by {@link ClosedStreamRules}, from the stream errors. Used on the connection's
 * event loop only.
 */
final class Http2ServerConnection extends DefaultHttp2Connection {
  /** The highest stream id the client used that Netty made no stream for; 0 if none. */
  private int highestUnmade;

  Http2ServerConnection() {
    super(true);
  }

  /** The client used stream id {@code id}, and Netty refused it before it made a stream. */
  void unmade(int id) {
    if (id > highestUnmade) {
      highestUnmade = id;
    }
  }

  @Override
  public boolean streamMayHaveExisted(int streamId) {
    return super.streamMayHaveExisted(streamId)
        || (streamId <= highestUnmade && remote().isValidStreamId(streamId));
  }
}
