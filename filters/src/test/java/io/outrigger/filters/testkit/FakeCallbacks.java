package io.outrigger.filters.testkit;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connection manager's side of one stream, recorded: local replies, resumptions, the response
 * flag. Timers run on an {@link EmbeddedChannel}'s loop in virtual time ({@link #advance}).
 */
public final class FakeCallbacks implements HttpFilterCallbacks {
  /** What {@code sendLocalReply} was asked. */
  public record Reply(
      int status,
      String body,
      String details,
      ResponseFlag flag,
      OptionalInt grpcStatus,
      HttpHeaders headers) {}

  private final EmbeddedChannel loop;
  private final Map<String, Object> perRoute = new HashMap<>();
  private String routeCluster;
  public Reply reply;
  public int continued;
  public int resets;
  public int holds;
  private final Map<Object, java.util.function.Consumer<Object>> routeWatchers =
      new java.util.LinkedHashMap<>();
  public ResponseFlag flag;

  /** What the stream's {@link StreamInfo} reports of its connection; null (or empty) unless set. */
  public InetSocketAddress remoteAddress;

  public InetSocketAddress localAddress;
  public PeerCertificate peerCertificate;
  public String requestedServerName = "";

  public FakeCallbacks(EmbeddedChannel loop) {
    this.loop = loop;
  }

  /** A fresh virtual-time loop. */
  public static EmbeddedChannel loop() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    return ch;
  }

  public FakeCallbacks withPerRoute(String filterName, Object config) {
    perRoute.put(filterName, config);
    return this;
  }

  public FakeCallbacks withRouteCluster(String cluster) {
    this.routeCluster = cluster;
    return this;
  }

  /** Moves the loop's clock and runs the timers that are due. */
  public void advance(long millis) {
    loop.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    loop.runScheduledPendingTasks();
  }

  @Override
  public void sendLocalReply(int status, String body, String details, ResponseFlag flag) {
    sendLocalReply(status, body, details, flag, OptionalInt.empty(), h -> {});
  }

  @Override
  public void sendLocalReply(
      int status,
      String body,
      String details,
      ResponseFlag flag,
      OptionalInt grpcStatus,
      Consumer<HttpHeaders> modifyHeaders) {
    if (reply != null) {
      throw new AssertionError("answered twice");
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    modifyHeaders.accept(headers);
    reply = new Reply(status, body, details, flag, grpcStatus, headers);
    this.flag = flag;
  }

  @Override
  public void resetStream() {
    resets++;
  }

  @Override
  public void holdStream() {
    holds++;
  }

  /** Filters that follow the routes while the stream is open. */
  public int routeWatchers() {
    return routeWatchers.size();
  }

  /**
   * New routes arrive: every watcher hears of {@code perRouteConfig} (null: the request's new route
   * has none), on the loop, as the connection manager would tell them.
   */
  public void routesChanged(Object perRouteConfig) {
    for (var w : List.copyOf(routeWatchers.values())) {
      loop.eventLoop().execute(() -> w.accept(perRouteConfig));
    }
    loop.runPendingTasks();
  }

  @Override
  public <T> Runnable watchPerRouteConfig(
      String filterName, Class<T> type, Consumer<Optional<T>> watcher) {
    Object key = new Object();
    routeWatchers.put(
        key,
        c -> watcher.accept(type.isInstance(c) ? Optional.of(type.cast(c)) : Optional.empty()));
    return () -> routeWatchers.remove(key);
  }

  @Override
  public void continueRequest() {
    continued++;
  }

  @Override
  public EventExecutor executor() {
    return loop.eventLoop();
  }

  @Override
  public void setResponseFlag(ResponseFlag flag) {
    this.flag = flag;
  }

  @Override
  public <T> Optional<T> perRouteConfig(String filterName, Class<T> type) {
    Object c = perRoute.get(filterName);
    return type.isInstance(c) ? Optional.of(type.cast(c)) : Optional.empty();
  }

  @Override
  public Optional<String> routeCluster() {
    return Optional.ofNullable(routeCluster);
  }

  @Override
  public StreamInfo streamInfo() {
    return new StreamInfo() {
      @Override
      public InetSocketAddress downstreamRemoteAddress() {
        return remoteAddress;
      }

      @Override
      public InetSocketAddress downstreamLocalAddress() {
        return localAddress;
      }

      @Override
      public PeerCertificate downstreamPeerCertificate() {
        return peerCertificate;
      }

      @Override
      public String requestedServerName() {
        return requestedServerName;
      }

      @Override
      public String statPrefix() {
        return "test";
      }

      @Override
      public String upstreamCluster() {
        return null;
      }

      @Override
      public String upstreamHost() {
        return null;
      }

      @Override
      public int responseCode() {
        return reply == null ? 0 : reply.status();
      }

      @Override
      public ResponseFlag responseFlag() {
        return flag;
      }

      @Override
      public String responseCodeDetails() {
        return reply == null ? "" : reply.details();
      }

      @Override
      public long startNanos() {
        return 0;
      }
    };
  }
}
