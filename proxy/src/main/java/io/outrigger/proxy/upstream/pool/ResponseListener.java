package io.outrigger.proxy.upstream.pool;

import io.netty.handler.codec.http.HttpObject;

/**
 * Receives what the upstream sends for one exchange. Called on the exchange's event loop (the
 * downstream's), in order.
 */
public interface ResponseListener {
  /**
   * An {@code HttpResponse}, {@code HttpContent} or {@code LastHttpContent}; owned by the callee.
   */
  void onResponse(HttpObject msg);

  /** A read batch ended: flush what was written downstream. */
  void onReadComplete();

  /** The exchange's channel became writable again (or stopped being). */
  void onWritabilityChanged(boolean writable);

  /** The connection or stream ended before the exchange did. */
  void onReset(Throwable cause);
}
