package io.outrigger.lab.store.etcd;

import io.outrigger.lab.store.LeaderView;
import io.outrigger.lab.store.Leadership;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Who leads, as each etcd member sees it: {@code POST /v3/maintenance/status} to every member at
 * once; its {@code leader} is a member id (absent while it knows none), mapped to a lab node by
 * {@link EtcdMembers}, with {@code /v3/cluster/member/list} asked when an id is new. Blocks the
 * caller for at most the status timeout (plus a member list request when needed).
 */
final class EtcdLeadership implements Leadership {
  private final HttpClient http;
  private final Map<String, URI> nodes;
  private final Duration timeout;
  private final EtcdMembers members;

  EtcdLeadership(HttpClient http, Map<String, URI> nodes, Duration timeout) {
    this.http = http;
    this.nodes = new TreeMap<>(nodes);
    this.timeout = timeout;
    this.members = new EtcdMembers(nodes);
  }

  @Override
  public Map<String, LeaderView> views() {
    Map<String, CompletableFuture<HttpResponse<String>>> pending = new LinkedHashMap<>();
    nodes.forEach(
        (node, url) ->
            pending.put(node, http.sendAsync(post(url, "/v3/maintenance/status"), bodyHandler())));
    Map<String, Optional<EtcdJson.Status>> statuses = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    pending.forEach(
        (node, future) -> {
          try {
            HttpResponse<String> r = future.join();
            Optional<EtcdJson.Status> s = EtcdJson.status(r.body());
            s.ifPresent(st -> members.learn(node, st.header().memberId()));
            statuses.put(node, s);
            errors.put(node, s.isEmpty() ? r.statusCode() + " " + r.body() : null);
          } catch (CompletionException e) {
            statuses.put(node, Optional.empty());
            errors.put(node, String.valueOf(e.getCause()));
          }
        });
    Map<String, LeaderView> views = new TreeMap<>();
    statuses.forEach((node, s) -> views.put(node, view(node, s, errors.get(node))));
    return views;
  }

  private LeaderView view(String node, Optional<EtcdJson.Status> status, String error) {
    if (status.isEmpty()) {
      return new LeaderView(node, null, -1, error);
    }
    EtcdJson.Status s = status.get();
    if (s.leader() == null) {
      String why = s.errors().isEmpty() ? "no leader" : String.join("; ", s.errors());
      return new LeaderView(node, null, s.raftTerm(), why);
    }
    return new LeaderView(node, leaderName(s.leader()), s.raftTerm(), null);
  }

  private String leaderName(String memberId) {
    Optional<String> known = members.node(memberId);
    if (known.isEmpty()) {
      refreshMembers();
      known = members.node(memberId);
    }
    return known.orElse(EtcdMembers.unknown(memberId));
  }

  /** Asks the member list of the first member that answers. */
  private void refreshMembers() {
    for (URI url : nodes.values()) {
      try {
        HttpResponse<String> r = http.send(post(url, "/v3/cluster/member/list"), bodyHandler());
        if (r.statusCode() == 200) {
          members.learn(EtcdJson.members(r.body()));
          return;
        }
      } catch (java.io.IOException e) {
        // try the next member
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private HttpRequest post(URI url, String path) {
    return HttpRequest.newBuilder(EtcdAdapter.resolve(url, path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
  }

  private static HttpResponse.BodyHandler<String> bodyHandler() {
    return HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
