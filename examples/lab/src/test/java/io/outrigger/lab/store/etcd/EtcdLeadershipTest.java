package io.outrigger.lab.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.outrigger.lab.store.LeaderView;
import io.outrigger.lab.store.Leadership;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leader discovery against three canned members on 127.0.0.1:0 that answer {@code
 * /v3/maintenance/status} and {@code /v3/cluster/member/list} as etcd 3.4 does.
 */
class EtcdLeadershipTest {
  private static final String ID_1 = "8645782499530242234";
  private static final String ID_2 = "11539305337000706507";
  private static final String ID_3 = "3542974012341521924";

  private final List<HttpServer> servers = new ArrayList<>();
  private final Map<String, URI> nodes = new TreeMap<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private void member(String node, String status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v3/maintenance/status", ex -> reply(ex, status));
    server.createContext("/v3/cluster/member/list", ex -> reply(ex, EtcdJsonTest.MEMBERS));
    server.start();
    servers.add(server);
    nodes.put(node, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, String body)
      throws IOException {
    ex.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static String status(String own, String leader, long term) {
    String leaderField = leader == null ? "" : ",\"leader\":\"" + leader + "\"";
    String errors = leader == null ? ",\"errors\":[\"etcdserver: no leader\"]" : "";
    return ("{\"header\":{\"cluster_id\":\"1\",\"member_id\":\"%s\",\"revision\":\"4\","
            + "\"raft_term\":\"%d\"},\"version\":\"3.4.23\"%s,\"raftTerm\":\"%d\"%s}")
        .formatted(own, term, leaderField, term, errors);
  }

  private EtcdLeadership leadership() {
    return new EtcdLeadership(HttpClient.newHttpClient(), nodes, Duration.ofMillis(500));
  }

  @Test
  void mapsEachMembersLeaderIdToTheLabNodeThatAnsweredWithIt() throws Exception {
    member("n1", status(ID_1, ID_2, 3));
    member("n2", status(ID_2, ID_2, 3));
    member("n3", status(ID_3, null, 7));

    Map<String, LeaderView> views = leadership().views();

    assertThat(views.get("n1")).isEqualTo(new LeaderView("n1", "n2", 3, null));
    assertThat(views.get("n2").leader()).isEqualTo("n2");
    assertThat(views.get("n3")).isEqualTo(new LeaderView("n3", null, 7, "etcdserver: no leader"));
    assertThat(Leadership.agreed(views, List.copyOf(nodes.keySet()))).contains("n2");
  }

  @Test
  void aLeaderThatDoesNotAnswerIsNamedFromTheMemberList() throws Exception {
    member("n1", status(ID_1, ID_3, 4));
    member("n2", status(ID_2, ID_3, 4));
    member("n3", "{}");
    servers.get(2).stop(0); // n3 is gone: its status fails, its id is learnt from the list

    Map<String, LeaderView> views = leadership().views();

    assertThat(views.get("n1").leader()).isEqualTo("n3");
    assertThat(views.get("n2").leader()).isEqualTo("n3");
    assertThat(views.get("n3").leader()).isNull();
    assertThat(views.get("n3").error()).isNotBlank();
    assertThat(Leadership.agreed(views, List.copyOf(nodes.keySet()))).contains("n3");
  }

  @Test
  void noMajorityNoAgreedLeader() throws Exception {
    member("n1", status(ID_1, ID_1, 5));
    member("n2", status(ID_2, ID_2, 6));
    member("n3", status(ID_3, null, 6));

    Map<String, LeaderView> views = leadership().views();

    assertThat(Leadership.agreed(views, List.copyOf(nodes.keySet()))).isEmpty();
  }
}
