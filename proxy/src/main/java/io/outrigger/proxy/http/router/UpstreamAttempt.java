package io.outrigger.proxy.http.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.proxy.tracing.AttemptSpan;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.outlier.OutlierResult;
import io.outrigger.proxy.upstream.pool.AcquireCallback;
import io.outrigger.proxy.upstream.pool.ConnectionPool;
import io.outrigger.proxy.upstream.pool.PoolOverflowException;
import io.outrigger.proxy.upstream.pool.RefusedStreamException;
import io.outrigger.proxy.upstream.pool.ResponseListener;
import io.outrigger.proxy.upstream.pool.UpstreamExchange;
import io.outrigger.proxy.upstream.pool.UpstreamProtocolException;
import java.util.concurrent.TimeUnit;

/**
 * One try of a request against one host: borrows an exchange from the host's pool, writes the
 * request headers and the body the {@link Router} hands it, and reports what the host answered. Its
 * per-try and per-try idle timers belong to it; the route timeout belongs to the router.
 *
 * <p>Everything runs on the stream's event loop. The attempt holds the cluster's {@code
 * max_requests} slot and the host's active-request count from {@link #start} to {@link #finish}.
 */
final class UpstreamAttempt implements AcquireCallback, ResponseListener {
  private final Router router;
  private final Cluster cluster;
  private final Host host;
  private final ConnectionPool pool;
  private final HttpRequest request;
  private final int number;
  private final AttemptSpan span;
  private String outcome;
  private final long startNanos = System.nanoTime();
  private UpstreamExchange exchange;
  private ScheduledFuture<?> perTryTimer;
  private ScheduledFuture<?> idleTimer;
  private int bodyCursor;
  private boolean requestSent;
  private boolean responseStarted;
  private boolean keepAlive = true;
  private boolean finished;
  private boolean timedOut;
  private int status;

  /**
   * @param request the request headers for this attempt (a copy when the request may be retried)
   * @param number 1 for the first attempt, then 2, 3, …
   * @param span the attempt's client span, ended with the attempt
   */
  UpstreamAttempt(
      Router router,
      Cluster cluster,
      Host host,
      ConnectionPool pool,
      HttpRequest request,
      int number,
      AttemptSpan span) {
    this.router = router;
    this.cluster = cluster;
    this.host = host;
    this.pool = pool;
    this.request = request;
    this.number = number;
    this.span = span;
  }

  /** Says why the attempt is about to end, for its span; the first reason given stays. */
  void outcome(String why) {
    if (outcome == null) {
      outcome = why;
    }
  }

  Host host() {
    return host;
  }

  int number() {
    return number;
  }

  boolean isReady() {
    return exchange != null && !finished;
  }

  boolean responseStarted() {
    return responseStarted;
  }

  boolean timedOut() {
    return timedOut;
  }

  boolean writable() {
    return exchange != null && !finished && exchange.channel().isWritable();
  }

  UpstreamExchange exchange() {
    return exchange;
  }

  void start(int bodyStart) {
    bodyCursor = bodyStart;
    host.requestStarted();
    cluster.stats().requestStarted();
    pool.acquire(this);
  }

  // ---- AcquireCallback ----

  @Override
  public void ready(UpstreamExchange ex) {
    if (finished) {
      ex.release(true);
      return;
    }
    exchange = ex;
    host.outlier().putResult(OutlierResult.LOCAL_ORIGIN_CONNECT_SUCCESS);
    ex.bind(this);
    if (!ex.http2() && router.requestHasBody() && !HttpUtil.isContentLengthSet(request)) {
      HttpUtil.setTransferEncodingChunked(request, true);
    }
    boolean whole = request instanceof LastHttpContent; // HTTP/2 HEADERS with END_STREAM
    requestSent = whole;
    Channel ch = ex.channel();
    ch.write(request, ch.voidPromise());
    router.onAttemptReady(this);
    ch.flush();
    if (whole) {
      router.onAttemptRequestSent(this);
    }
    ch.read();
  }

  @Override
  public void failed(Throwable cause, boolean connectTimedOut) {
    if (finished) {
      return;
    }
    outcome(cause instanceof PoolOverflowException ? "overflow" : "connect_failure");
    finish(0);
    if (cause instanceof PoolOverflowException overflow) {
      router.onAttemptOverflow(this, overflow.getMessage());
      return;
    }
    host.outlier().putResult(OutlierResult.LOCAL_ORIGIN_CONNECT_FAILED);
    router.onAttemptFailure(this, AttemptFailure.CONNECT_FAILURE);
  }

  // ---- request ----

  /** Writes body pieces from the router's buffer up to its end (not flushed unless last). */
  void writeBody(RequestBody body) {
    if (!isReady()) {
      return;
    }
    Channel ch = exchange.channel();
    int end = body.end();
    while (bodyCursor < end) {
      HttpContent piece = body.take(bodyCursor++);
      if (piece instanceof LastHttpContent) {
        requestSent = true;
        ch.writeAndFlush(piece, ch.voidPromise());
        router.onAttemptRequestSent(this);
      } else {
        ch.write(piece, ch.voidPromise());
      }
    }
  }

  int bodyCursor() {
    return bodyCursor;
  }

  void flush() {
    if (isReady()) {
      exchange.channel().flush();
    }
  }

  void sendTunnelBytes(ByteBuf data) {
    if (!isReady()) {
      data.release();
      return;
    }
    exchange.channel().write(data, exchange.channel().voidPromise());
  }

  /** Starts the per-try timer once the whole request is out; a no-op for zero. */
  void startPerTryTimer(long millis) {
    if (millis > 0 && perTryTimer == null && !finished) {
      perTryTimer =
          exchange
              .channel()
              .eventLoop()
              .schedule(() -> onPerTryTimeout(false), millis, TimeUnit.MILLISECONDS);
    }
  }

  /** (Re)arms the per-try idle timer; a no-op for zero. */
  void touchIdleTimer(long millis) {
    if (millis <= 0 || finished || exchange == null) {
      return;
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
    }
    idleTimer =
        exchange
            .channel()
            .eventLoop()
            .schedule(() -> onPerTryTimeout(true), millis, TimeUnit.MILLISECONDS);
  }

  private void onPerTryTimeout(boolean idle) {
    if (finished) {
      return;
    }
    timedOut = true;
    cluster.stats().retry().perTryTimeout(idle);
    host.outlier().putResult(OutlierResult.LOCAL_ORIGIN_TIMEOUT);
    router.onPerTryTimeout(this, idle);
  }

  // ---- ResponseListener ----

  @Override
  public void onResponse(HttpObject msg) {
    if (finished) {
      ReferenceCountUtil.release(msg);
      return;
    }
    router.onAttemptActivity(this);
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code == 100) {
        ReferenceCountUtil.release(msg); // the connection manager answered 100-continue itself
        return;
      }
      status = code;
      keepAlive = HttpUtil.isKeepAlive(response);
      host.outlier().putHttpResponseCode(code);
      if (!router.onAttemptHeaders(this, response)) {
        return; // the router dropped this answer (it retries) and released it
      }
      responseStarted = true;
      if (msg instanceof LastHttpContent && !router.isTunnel()) {
        router.onAttemptComplete(this); // a whole response in one message
        return;
      }
      if (!(msg instanceof HttpContent)) {
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      router.onAttemptContent(this, content);
    }
  }

  long serviceMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Override
  public void onReadComplete() {
    if (!finished) {
      router.onAttemptReadComplete(this);
    }
  }

  /** Asks for more response (the downstream can take it). */
  void read() {
    if (isReady()) {
      exchange.channel().read();
    }
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    if (writable && !finished) {
      router.onAttemptWritable(this);
    }
  }

  @Override
  public void onReset(Throwable cause) {
    if (finished) {
      return;
    }
    AttemptFailure failure =
        cause instanceof RefusedStreamException
            ? AttemptFailure.REFUSED_STREAM
            : cause instanceof UpstreamProtocolException
                ? AttemptFailure.PROTOCOL_ERROR
                : AttemptFailure.RESET;
    if (!responseStarted) {
      host.outlier().putResult(OutlierResult.EXT_ORIGIN_REQUEST_FAILED);
    }
    boolean started = responseStarted;
    outcome("reset");
    finish(0);
    router.onAttemptReset(this, failure, started);
  }

  /** Ends this attempt without a clean end: resets its stream or closes its connection. */
  void abort() {
    if (!finished) {
      finish(0);
    }
  }

  /**
   * Ends the attempt; {@code code} is the final status when the response completed cleanly, else 0.
   * Gives back the pool slot (or withdraws the acquisition), the request slot and the host count.
   */
  void finish(int code) {
    finished = true;
    cancelTimers();
    span.end(status, outcome != null ? outcome : code > 0 ? "completed" : "cancelled");
    host.requestFinished();
    cluster.limits().releaseRequest();
    // As Envoy, a response is counted by its code once its headers came, also when the router
    // retried instead of forwarding it (upstream_rq_503 of the attempt that got the 503).
    cluster.stats().requestFinished(code > 0 ? code : status, System.nanoTime() - startNanos);
    if (exchange != null) {
      boolean reusable = code > 0 && requestSent && keepAlive && !router.isTunnel();
      exchange.release(reusable);
    } else {
      pool.cancel(this);
      ReferenceCountUtil.release(request); // never written: still ours
    }
  }

  boolean finished() {
    return finished;
  }

  int status() {
    return status;
  }

  private void cancelTimers() {
    if (perTryTimer != null) {
      perTryTimer.cancel(false);
      perTryTimer = null;
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }
}
