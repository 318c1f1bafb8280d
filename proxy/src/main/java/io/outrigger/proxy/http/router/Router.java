package io.outrigger.proxy.http.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.ResourceLimits;
import io.outrigger.proxy.upstream.outlier.OutlierResult;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The router's side of one stream (Envoy's router filter): sends the request to the route's cluster
 * in one or more {@link UpstreamAttempt attempts}, decides with the {@link RetryState} whether a
 * failed attempt is tried again, and relays the one answer it keeps. Every failure ends as Envoy's
 * answer: 503 UF, UC or UR, 504 UT, 503 UO with {@code x-envoy-overloaded}, or a downstream reset
 * once the response started.
 *
 * <p>The route timeout covers all attempts and starts when the request is complete. Request body
 * pieces go through a {@link RequestBody} so that a retry can replay them while they fit the
 * route's replay buffer. With {@code hedge_on_per_try_timeout}, an attempt whose per-try timeout
 * fires keeps running beside a new one, and the first answer that is not retriable wins.
 *
 * <p>Flow control both ways: the downstream is read only while the upstream is writable, the
 * upstream only while the downstream is writable. Runs on the stream's event loop only, and sees
 * its stream only through {@link RouterCallbacks}.
 */
public final class Router {
  /** Envoy's header for the time the upstream took, a shared name (no conversion per response). */
  private static final AsciiString UPSTREAM_SERVICE_TIME =
      AsciiString.cached("x-envoy-upstream-service-time");

  private final RouterCallbacks stream;
  private final EventLoop loop;
  private final PoolManager pools;
  private final Cluster cluster;
  private final RouteDecision.Forward route;
  private final HttpRequest request;
  private final boolean upgrade;
  private final RandomGenerator random;
  // Walked by index, not for-each: an iterator per walk is per-request garbage that escape
  // analysis removes only when everything around it inlines, which it does not always.
  private final List<UpstreamAttempt> attempts = new ArrayList<>(2);
  private RetryState retry;
  private RequestBody body;
  private AttemptRequests requests;
  private UpstreamAttempt winner;

  /** The route timeout is armed on the stream's connection timer (no task of its own). */
  private boolean routeTimerArmed;

  private ScheduledFuture<?> backOffTimer;
  private int attemptCount;
  private boolean tunnel;
  private boolean done;

  public Router(
      RouterCallbacks stream,
      EventLoop loop,
      PoolManager pools,
      Cluster cluster,
      RouteDecision.Forward route,
      HttpRequest request,
      boolean upgrade,
      RandomGenerator random) {
    this.stream = stream;
    this.loop = loop;
    this.pools = pools;
    this.cluster = cluster;
    this.route = route;
    this.request = request;
    this.upgrade = upgrade;
    this.random = random;
  }

  /**
   * For an {@code ORIGINAL_DST} cluster: the request's {@code x-envoy-original-dst-host} (with
   * {@code use_http_header}), else the downstream connection's original destination; {@code null}
   * for other clusters.
   */
  private java.net.InetSocketAddress originalDestination() {
    if (!(cluster.config().lbConfig() instanceof io.outrigger.api.model.LbConfig.OriginalDst od)) {
      return null;
    }
    if (od.useHttpHeader()) {
      java.net.InetSocketAddress fromHeader =
          io.outrigger.proxy.upstream.OriginalDstHosts.parseHostHeader(
              request.headers().get(od.httpHeaderName()));
      if (fromHeader != null) {
        return fromHeader;
      }
    }
    return stream.downstreamOriginalDestination();
  }

  /** Attempts started so far (retries and hedges included). */
  public int attemptCount() {
    return attemptCount;
  }

  public void start() {
    retry =
        upgrade
            ? null
            : RetryState.create(
                route.retry(),
                request.headers(),
                cluster.limits(),
                cluster.stats().retry(),
                random);
    boolean replay = retry != null && retry.mayRetry();
    body = new RequestBody(route.retry().bufferLimitBytes(), replay);
    java.net.InetSocketAddress destination = originalDestination();
    requests =
        retry == null
            ? new AttemptRequests(cluster, route, request, false, 0, destination)
            : new AttemptRequests(
                cluster,
                route,
                request,
                replay && retry.policy().previousHosts(),
                retry.policy().hostSelectionMaxAttempts(),
                destination);
    HttpContent c;
    while ((c = stream.pollPendingBody()) != null) {
      addBody(c);
    }
    if (stream.requestComplete()) {
      startRouteTimer();
    }
    startAttempt();
  }

  // ---- attempts ----

  private void startAttempt() {
    backOffTimer = null;
    if (done) {
      return;
    }
    Host host = requests.chooseHost();
    if (host == null) {
      if (attempts.isEmpty()) {
        cluster.stats().noHealthyHost();
        end();
        stream.sendLocalReply(503, "no healthy upstream", "no_healthy_upstream", ResponseFlag.UH);
      }
      return;
    }
    if (!cluster.limits().tryAcquireRequest()) {
      cluster.stats().pendingOverflow();
      overflow(cluster.limits().overflowReason(ResourceLimits.Resource.REQUESTS));
      return;
    }
    attemptCount++;
    stream.upstreamHostChosen(host.addressString());
    HttpRequest attemptRequest = requests.requestFor(host, attemptCount, body.replayable());
    UpstreamAttempt a =
        new UpstreamAttempt(
            this,
            cluster,
            host,
            pools.pool(cluster, host),
            attemptRequest,
            attemptCount,
            stream
                .span()
                .startAttempt(attemptRequest, attemptCount, cluster.name(), host.address()));
    attempts.add(a);
    a.start(body.start());
  }

  private void overflow(String reason) {
    if (attempts.isEmpty() && !done) {
      end();
      stream.sendOverloaded(reason);
    }
  }

  void onAttemptOverflow(UpstreamAttempt a, String reason) {
    attempts.remove(a);
    overflow(reason);
  }

  void onAttemptReady(UpstreamAttempt a) {
    a.writeBody(body);
    body.forgetBefore(lowestCursor());
    stream.maybeReadDownstream();
  }

  void onAttemptRequestSent(UpstreamAttempt a) {
    if (retry != null) {
      a.startPerTryTimer(retry.perTryTimeout().toMillis());
      a.touchIdleTimer(retry.perTryIdleTimeout().toMillis());
    }
  }

  void onAttemptActivity(UpstreamAttempt a) {
    if (retry != null) {
      a.touchIdleTimer(retry.perTryIdleTimeout().toMillis());
    }
  }

  // ---- request body, from the stream ----

  /** Whether the upstream can take more request body now. */
  public boolean canTakeBody() {
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt a = attempts.get(i);
      if (a.writable()) {
        return true;
      }
    }
    return winner != null && winner.writable();
  }

  public boolean isTunnel() {
    return tunnel;
  }

  /** A request body piece or the trailers from the downstream. */
  public void sendRequestContent(HttpContent content) {
    if (done) {
      ReferenceCountUtil.release(content);
      return;
    }
    addBody(content);
    if (done) {
      return;
    }
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt a = attempts.get(i);
      a.writeBody(body);
    }
    if (winner != null) {
      winner.writeBody(body); // a response may come before the request is complete
    }
    body.forgetBefore(lowestCursor());
    if (content instanceof LastHttpContent) {
      startRouteTimer();
    }
  }

  private void addBody(HttpContent content) {
    if (body.add(content) || retry == null || !retry.enabled()) {
      return;
    }
    retry.disable(); // the body outgrew the replay buffer: this request is sent once
    if (attempts.isEmpty() && winner == null && backOffTimer != null) {
      backOffTimer.cancel(false);
      backOffTimer = null;
      end();
      stream.sendLocalReply(
          507,
          "exceeded request buffer limit while retrying upstream",
          "request_payload_exceeded_retry_buffer_limit",
          null);
    }
  }

  private int lowestCursor() {
    int min = body.end();
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt a = attempts.get(i);
      min = Math.min(min, a.bodyCursor());
    }
    if (winner != null) {
      min = Math.min(min, winner.bodyCursor());
    }
    if (attempts.isEmpty() && winner == null) {
      min = body.start(); // a retry is due: it starts from the beginning
    }
    return min;
  }

  public void flushRequest() {
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt a = attempts.get(i);
      a.flush();
    }
    if (winner != null) {
      winner.flush();
    }
  }

  public void sendTunnelBytes(ByteBuf data) {
    if (winner == null || done) {
      data.release();
      return;
    }
    winner.sendTunnelBytes(data);
  }

  /** The downstream drained: read more response. */
  public void downstreamWritable() {
    if (winner != null && !done) {
      winner.read();
    }
  }

  // ---- response ----

  /**
   * An attempt's response headers.
   *
   * @return true when they go downstream (this attempt wins); false when the router dropped them
   *     (released) to retry or to wait for a hedged attempt
   */
  boolean onAttemptHeaders(UpstreamAttempt a, HttpResponse response) {
    if (done || winner != null) {
      drop(a, response);
      return false;
    }
    if (retry != null && retry.wouldRetry(response)) {
      if (attempts.size() > 1) {
        drop(a, response); // a hedged attempt is still out: wait for it
        return false;
      }
      if (retry.admit() == RetryState.Admission.RETRY) {
        long wait = retry.backOffMillis(response, System.currentTimeMillis());
        drop(a, response);
        scheduleRetry(wait);
        return false;
      }
    }
    win(a, response);
    return true;
  }

  private void drop(UpstreamAttempt a, HttpResponse response) {
    ReferenceCountUtil.release(response);
    attempts.remove(a);
    a.outcome(done || winner != null ? "hedge_lost" : "retried");
    a.abort();
  }

  private void win(UpstreamAttempt a, HttpResponse response) {
    attempts.remove(a);
    winner = a;
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt other = attempts.get(i);
      other.outcome("hedge_lost");
      other.abort(); // the hedges lost
    }
    attempts.clear();
    int code = response.status().code();
    if (a.number() > 1 && code < 500) {
      cluster.stats().retry().succeededAfterRetry();
    }
    boolean switching = upgrade && code == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    HopByHop.strip(response.headers(), switching);
    response.headers().set(UPSTREAM_SERVICE_TIME, a.serviceMillis());
    route.mutateResponse().accept(response.headers());
    stream.encodeHeaders(response, a.host().addressString());
    if (switching) {
      tunnel = true;
      cancelRouteTimer();
      a.exchange().switchToTunnel();
      stream.switchToTunnel();
    }
  }

  void onAttemptContent(UpstreamAttempt a, HttpContent content) {
    if (a != winner || done) {
      ReferenceCountUtil.release(content);
      return;
    }
    if (tunnel) {
      stream.encodeTunnelBytes(content.content().retain());
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    stream.encodeContent(content);
    if (last) {
      onAttemptComplete(a);
    }
  }

  void onAttemptComplete(UpstreamAttempt a) {
    a.finish(a.status());
    end();
  }

  void onAttemptReadComplete(UpstreamAttempt a) {
    if (a != winner) {
      a.read(); // still waiting for headers
      return;
    }
    stream.flushDownstream();
    if (stream.downstreamWritable()) {
      a.read();
    }
  }

  void onAttemptWritable(UpstreamAttempt a) {
    stream.maybeReadDownstream();
    if (tunnel) {
      stream.requestDownstreamRead();
    }
  }

  // ---- failures ----

  /** The connect failed; the attempt already ended. */
  void onAttemptFailure(UpstreamAttempt a, AttemptFailure failure) {
    attempts.remove(a);
    afterFailure(failure);
  }

  /** The connection or stream ended before the attempt did; the attempt already ended. */
  void onAttemptReset(UpstreamAttempt a, AttemptFailure failure, boolean responseStarted) {
    if (done) {
      return;
    }
    if (a == winner) {
      end();
      if (tunnel) {
        stream.resetDownstream(null, "upgrade_tunnel_closed");
      } else {
        stream.resetDownstream(ResponseFlag.UR, "upstream_reset_after_response_started");
      }
      return;
    }
    attempts.remove(a);
    afterFailure(failure);
  }

  /** An attempt's per-try (or per-try idle) timeout fired. */
  void onPerTryTimeout(UpstreamAttempt a, boolean idle) {
    if (done) {
      return;
    }
    if (a == winner) {
      if (idle) { // the response stalled after it started: nothing to do but reset
        end();
        stream.resetDownstream(ResponseFlag.UT, "upstream_per_try_idle_timeout");
      }
      return; // Envoy lets a started response run on to the route timeout
    }
    if (!idle && route.retry().hedgeOnPerTryTimeout() && retry.enabled()) {
      if (retry.admit() == RetryState.Admission.RETRY) {
        cluster.stats().retry().hedged();
        startAttempt(); // the slow attempt keeps running beside the hedge
      }
      return;
    }
    attempts.remove(a);
    a.outcome("per_try_timeout");
    a.abort();
    afterFailure(AttemptFailure.PER_TRY_TIMEOUT);
  }

  private void afterFailure(AttemptFailure failure) {
    if (done || !attempts.isEmpty()) {
      return; // a hedged attempt is still out: its answer decides
    }
    if (retry != null && retry.wouldRetry(failure) && retry.admit() == RetryState.Admission.RETRY) {
      scheduleRetry(retry.backOffMillis(null, System.currentTimeMillis()));
      return;
    }
    end();
    stream.sendLocalReply(failure.status, failure.body, failure.details, failure.flag);
  }

  private void scheduleRetry(long millis) {
    backOffTimer = loop.schedule(this::startAttempt, millis, TimeUnit.MILLISECONDS);
  }

  // ---- route timeout ----

  private void startRouteTimer() {
    long ms = route.timeout().toMillis();
    if (ms > 0 && !routeTimerArmed && !done && !upgrade) {
      routeTimerArmed = true;
      stream.armRouteTimeout(TimeUnit.MILLISECONDS.toNanos(ms));
    }
  }

  /** The route timeout fired (told by the stream, whose connection timer carries it). */
  public void onRouteTimeout() {
    if (!routeTimerArmed) {
      return;
    }
    routeTimerArmed = false;
    if (done) {
      return;
    }
    cluster.stats().requestTimedOut();
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt a = attempts.get(i);
      if (!a.timedOut()) {
        a.host().outlier().putResult(OutlierResult.LOCAL_ORIGIN_TIMEOUT);
      }
    }
    boolean started = winner != null;
    end();
    if (started) {
      stream.resetDownstream(ResponseFlag.UT, "upstream_response_timeout");
    } else {
      stream.sendLocalReply(
          504, "upstream request timeout", "upstream_response_timeout", ResponseFlag.UT);
    }
  }

  private void cancelRouteTimer() {
    if (routeTimerArmed) {
      routeTimerArmed = false;
      stream.clearRouteTimeout();
    }
  }

  // ---- the end ----

  /**
   * The stream ended for another reason (downstream reset, local reply, downstream timeout): let go
   * of the upstream.
   */
  public void cancel() {
    if (!done) {
      end();
    }
  }

  /** Ends the request on the router's side: every attempt, timer, buffer and slot let go. */
  private void end() {
    done = true;
    cancelRouteTimer();
    if (backOffTimer != null) {
      backOffTimer.cancel(false);
      backOffTimer = null;
    }
    for (int i = 0; i < attempts.size(); i++) {
      UpstreamAttempt a = attempts.get(i);
      a.abort();
    }
    attempts.clear();
    if (winner != null && !winner.finished()) {
      winner.abort();
    }
    body.release();
    if (retry != null) {
      retry.release();
    }
    requests.release();
  }

  boolean requestHasBody() {
    return stream.requestHasBody();
  }
}
