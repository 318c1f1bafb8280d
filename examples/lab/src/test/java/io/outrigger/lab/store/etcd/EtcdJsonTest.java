package io.outrigger.lab.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's JSON, with answers copied from etcd 3.4.23. */
class EtcdJsonTest {
  private static final String STATUS_LEADER =
      "{\"header\":{\"cluster_id\":\"8570459336700167655\",\"member_id\":\"3542974012341521924\","
          + "\"revision\":\"2\",\"raft_term\":\"2\"},\"version\":\"3.4.23\",\"dbSize\":\"20480\","
          + "\"leader\":\"11539305337000706507\",\"raftIndex\":\"9\",\"raftTerm\":\"2\","
          + "\"raftAppliedIndex\":\"9\",\"dbSizeInUse\":\"16384\"}";
  private static final String STATUS_NO_LEADER =
      "{\"header\":{\"cluster_id\":\"8570459336700167655\",\"member_id\":\"8645782499530242234\","
          + "\"revision\":\"2\",\"raft_term\":\"5\"},\"version\":\"3.4.23\",\"raftTerm\":\"5\","
          + "\"errors\":[\"etcdserver: no leader\"]}";
  static final String MEMBERS =
      "{\"header\":{\"member_id\":\"3542974012341521924\",\"raft_term\":\"2\"},\"members\":["
          + "{\"ID\":\"3542974012341521924\",\"name\":\"n3\",\"peerURLs\":[\"http://127.0.0.1:23803\"],"
          + "\"clientURLs\":[\"http://127.0.0.1:23793\"]},"
          + "{\"ID\":\"8645782499530242234\",\"name\":\"etcd-a\",\"peerURLs\":[],"
          + "\"clientURLs\":[\"http://127.0.0.1:23791\"]},"
          + "{\"ID\":\"11539305337000706507\",\"name\":\"n2\","
          + "\"clientURLs\":[\"http://127.0.0.1:23792\"]}]}";

  @Test
  void keysAndValuesTravelAsBase64OfTheirUtf8() {
    assertThat(EtcdJson.base64("foo")).isEqualTo("Zm9v");
    assertThat(EtcdJson.unbase64("Zm9v")).isEqualTo("foo");
    assertThat(EtcdJson.unbase64(EtcdJson.base64("clé-ü-✓"))).isEqualTo("clé-ü-✓");
    assertThat(EtcdJson.unbase64(null)).isNull();
  }

  @Test
  void requestBodiesAskForOneKeyAndSerializableOnlyWhenAsked() {
    JsonObject put = JsonParser.parseString(EtcdJson.putBody("k0", "c1-2")).getAsJsonObject();
    assertThat(put.get("key").getAsString()).isEqualTo("azA=");
    assertThat(put.get("value").getAsString()).isEqualTo("YzEtMg==");
    JsonObject linearizable =
        JsonParser.parseString(EtcdJson.rangeBody("k0", false)).getAsJsonObject();
    assertThat(linearizable.keySet()).containsExactly("key");
    JsonObject serializable =
        JsonParser.parseString(EtcdJson.rangeBody("k0", true)).getAsJsonObject();
    assertThat(serializable.get("serializable").getAsBoolean()).isTrue();
  }

  @Test
  void statusGivesTheLeaderIdTheOwnIdAndTheTerm() {
    EtcdJson.Status s = EtcdJson.status(STATUS_LEADER).orElseThrow();
    assertThat(s.leader()).isEqualTo("11539305337000706507");
    assertThat(s.header().memberId()).isEqualTo("3542974012341521924");
    assertThat(s.raftTerm()).isEqualTo(2);
    assertThat(s.errors()).isEmpty();

    EtcdJson.Status none = EtcdJson.status(STATUS_NO_LEADER).orElseThrow();
    assertThat(none.leader()).isNull();
    assertThat(none.raftTerm()).isEqualTo(5);
    assertThat(none.errors()).containsExactly("etcdserver: no leader");

    assertThat(EtcdJson.status("{\"error\":\"x\",\"code\":14}")).isEmpty();
    assertThat(EtcdJson.status("not json")).isEmpty();
  }

  @Test
  void membersMapToLabNodesByNameElseByClientUrl() {
    List<EtcdJson.Member> members = EtcdJson.members(MEMBERS);
    assertThat(members).extracting(EtcdJson.Member::name).containsExactly("n3", "etcd-a", "n2");

    EtcdMembers map =
        new EtcdMembers(
            Map.of(
                "n1", URI.create("http://127.0.0.1:23791/"),
                "n2", URI.create("http://127.0.0.1:23792"),
                "n3", URI.create("http://127.0.0.1:23793")));
    map.learn(members);
    assertThat(map.node("3542974012341521924")).contains("n3");
    assertThat(map.node("8645782499530242234")).as("by client URL").contains("n1");
    assertThat(map.node("11539305337000706507")).contains("n2");
    assertThat(map.node("42")).isEmpty();
    // Ids are unsigned 64-bit: this one is above Long.MAX_VALUE.
    assertThat(EtcdMembers.unknown("11539305337000706507")).isEqualTo("id:a023d910eeb241cb");
  }

  @Test
  void aNodesOwnIdFromItsStatusHeaderWinsOverAnything() {
    EtcdMembers map = new EtcdMembers(Map.of("n1", URI.create("http://127.0.0.1:1")));
    map.learn("n1", "8645782499530242234");
    map.learn(EtcdJson.members(MEMBERS));
    assertThat(map.node("8645782499530242234")).contains("n1");
  }
}
