package io.outrigger.proxy.http.router;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;
import java.util.Objects;

/**
 * The request body as the router has received it, kept for replay while it fits the replay buffer
 * ({@code per_request_buffer_limit_bytes}).
 *
 * <p>Positions are absolute: piece {@code n} is the n-th piece received. An attempt writes pieces
 * from its own cursor on. While the body is replayable every write is a retained duplicate and the
 * pieces stay; once it is not (it outgrew the limit, or retries are off) a write hands the piece
 * itself over and it is forgotten here, so a request that is sent once holds no copy.
 *
 * <p>Used on the stream's event loop only.
 */
final class RequestBody {
  private static final HttpContent[] NONE = new HttpContent[0];

  private final long limit;
  // An array of its own size, not a list: most bodies are one piece (a request without a body is
  // the codec's empty end marker), which then costs one 24-byte array and no list object.
  private HttpContent[] pieces = NONE;
  private int count; // pieces[0 .. count) are held
  private int base; // absolute position of pieces[0]
  private long bytes;
  private boolean replayable;
  private boolean complete;

  /**
   * @param limit the replay buffer's size in bytes
   * @param replayable whether to keep pieces for another attempt at all
   */
  RequestBody(long limit, boolean replayable) {
    this.limit = limit;
    this.replayable = replayable;
  }

  /** Takes a piece received from the downstream; returns false if it made the body too big. */
  boolean add(HttpContent piece) {
    if (count == pieces.length) {
      pieces = Arrays.copyOf(pieces, Math.max(1, 2 * count));
    }
    pieces[count++] = piece;
    if (piece instanceof LastHttpContent) {
      complete = true;
    }
    bytes += piece.content().readableBytes();
    if (replayable && bytes > limit) {
      replayable = false;
      return false;
    }
    return true;
  }

  /** Whether every piece received so far can still be replayed. */
  boolean replayable() {
    return replayable;
  }

  /** Whether the last piece (end of stream) has been received. */
  boolean complete() {
    return complete;
  }

  /** The absolute position after the last piece received. */
  int end() {
    return base + count;
  }

  /** The absolute position of the first piece still here; a new attempt can start no earlier. */
  int start() {
    return base;
  }

  /**
   * The piece at absolute position {@code at}, for the attempt to write: a retained duplicate while
   * replayable, else the piece itself (ownership passes to the caller).
   */
  HttpContent take(int at) {
    int i = Objects.checkIndex(at - base, count); // a slot past the count is empty, not a piece
    HttpContent piece = pieces[i];
    if (replayable) {
      return piece.retainedDuplicate();
    }
    pieces[i] = null;
    return piece;
  }

  /**
   * Forgets the pieces before {@code position} (no attempt will want them): after the body stopped
   * being replayable, or when it never was.
   */
  void forgetBefore(int position) {
    if (replayable) {
      return;
    }
    int n = Math.min(position - base, count);
    for (int i = 0; i < n; i++) {
      ReferenceCountUtil.release(pieces[i]);
    }
    System.arraycopy(pieces, n, pieces, 0, count - n);
    Arrays.fill(pieces, count - n, count, null);
    count -= n;
    base += n;
  }

  /** Releases every piece held. */
  void release() {
    for (int i = 0; i < count; i++) {
      ReferenceCountUtil.release(pieces[i]);
    }
    Arrays.fill(pieces, 0, count, null);
    count = 0;
  }
}
