package io.outrigger.kvstore;

import static io.outrigger.kvstore.TestCluster.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API's shapes, on a single cp replica (its own majority). */
class PublicApiHttpTest {
  @TempDir Path dir;
  private TestCluster cluster;

  @BeforeEach
  void start() throws IOException {
    cluster = new TestCluster(1, Mode.CP, dir, Duration.ofSeconds(1), Duration.ZERO);
  }

  @AfterEach
  void stop() throws IOException {
    cluster.close();
  }

  @Test
  void putThenGetShowsTheValueItsVersionAndTheReplica() {
    HttpResponse<String> put = cluster.put("n1", "greeting", "héllo");
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body())
        .isEqualTo(
            "{\"key\":\"greeting\",\"value\":\"héllo\",\"version\":{\"time\":1,\"replica\":\"n1\"},"
                + "\"replica\":\"n1\"}");
    assertThat(put.headers().firstValue("X-Outrigger-Replica")).hasValue("n1");
    assertThat(put.headers().firstValue("X-Outrigger-Version")).hasValue("1.n1");
    HttpResponse<String> get = cluster.get("n1", "greeting");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(put.body());
  }

  @Test
  void missingAndDeletedKeysAre404() {
    HttpResponse<String> missing = cluster.get("n1", "nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .isEqualTo("{\"key\":\"nope\",\"value\":null,\"version\":null,\"replica\":\"n1\"}");
    cluster.put("n1", "k", "v");
    HttpResponse<String> delete = cluster.delete("n1", "k");
    assertThat(delete.statusCode()).isEqualTo(200);
    assertThat(delete.body())
        .isEqualTo(
            "{\"key\":\"k\",\"value\":null,\"deleted\":true,"
                + "\"version\":{\"time\":2,\"replica\":\"n1\"},\"replica\":\"n1\"}");
    HttpResponse<String> gone = cluster.get("n1", "k");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(json(gone).get("deleted").getAsBoolean()).isTrue();
    assertThat(gone.headers().firstValue("X-Outrigger-Version")).hasValue("2.n1");
  }

  @Test
  void keysAreTheRestOfThePathDecoded() {
    cluster.send("n1", "PUT", "/kv/a%2Fb/c+d%20e", "x");
    HttpResponse<String> get = cluster.get("n1", "a/b/c+d%20e");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(json(get).get("key").getAsString()).isEqualTo("a/b/c+d e");
  }

  @Test
  void listShowsLiveKeysWithThePrefix() {
    cluster.put("n1", "user-1", "a");
    cluster.put("n1", "user-2", "b");
    cluster.put("n1", "team-1", "c");
    cluster.delete("n1", "user-2");
    HttpResponse<String> list = cluster.send("n1", "GET", "/kv?prefix=user-", null);
    assertThat(list.statusCode()).isEqualTo(200);
    JsonObject o = json(list);
    assertThat(o.get("replica").getAsString()).isEqualTo("n1");
    assertThat(o.getAsJsonArray("items")).hasSize(1);
    JsonObject item = o.getAsJsonArray("items").get(0).getAsJsonObject();
    assertThat(item.get("key").getAsString()).isEqualTo("user-1");
    assertThat(item.get("value").getAsString()).isEqualTo("a");
    assertThat(item.getAsJsonObject("version").get("time").getAsLong()).isEqualTo(1);
  }

  @Test
  void healthzNamesTheNodeAndMode() {
    HttpResponse<String> r = cluster.send("n1", "GET", "/healthz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"node\":\"n1\",\"mode\":\"cp\",\"status\":\"ok\"}");
  }

  @Test
  void badKeysUnknownPathsAndMethodsAreRefusedInJson() {
    HttpResponse<String> empty = cluster.send("n1", "GET", "/kv/", null);
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).get("error").getAsString()).contains("key: 0 bytes");
    assertThat(cluster.get("n1", "k".repeat(257)).statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = cluster.send("n1", "GET", "/nowhere", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("replica").getAsString()).isEqualTo("n1");
    HttpResponse<String> post = cluster.send("n1", "POST", "/kv/k", "x");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
  }

  @Test
  void valuesOverOneMebibyteAre413() {
    String big = "x".repeat((1 << 20) + 1);
    HttpResponse<String> r = cluster.put("n1", "big", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("replica").getAsString()).isEqualTo("n1");
    assertThat(cluster.put("n1", "fits", "x".repeat(1 << 20)).statusCode()).isEqualTo(200);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    InetSocketAddress a = cluster.store("n1").address();
    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      OutputStream out = s.getOutputStream();
      String reqs =
          "PUT /kv/p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
              + "GET /kv/p HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      out.write(reqs.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int first = all.indexOf("\"value\":\"one\"");
      int second = all.indexOf("\"value\":\"one\"", first + 1);
      int third = all.indexOf("\"status\":\"ok\"");
      assertThat(first).isPositive();
      assertThat(second).isGreaterThan(first);
      assertThat(third).isGreaterThan(second);
    }
  }
}
