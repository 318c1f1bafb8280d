package io.outrigger.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
  @TempDir Path dir;
  private Storage storage;

  private static Versioned v(String key, String value, long time, String replica) {
    return new Versioned(
        key,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        new Version(time, replica));
  }

  @AfterEach
  void close() throws Exception {
    if (storage != null) {
      storage.close();
    }
  }

  @Test
  void keepsTheLargerTag() {
    storage = Storage.inMemory("n1");
    Versioned newer = v("k", "new", 5, "n2");
    assertThat(storage.apply(newer).join()).isEqualTo(newer);
    assertThat(storage.apply(v("k", "old", 5, "n1")).join()).isEqualTo(newer);
    Versioned delete = v("k", null, 6, "n3");
    assertThat(storage.apply(delete).join()).isEqualTo(delete);
    assertThat(storage.get("k").join().isTombstone()).isTrue();
  }

  @Test
  void chosenTagsAreLargerThanAnythingSeen() {
    storage = Storage.inMemory("n1");
    storage.apply(v("k", "x", 41, "n3")).join();
    assertThat(storage.writeLocal("j", "y".getBytes()).join().version())
        .isEqualTo(new Version(42, "n1"));
    assertThat(storage.nextVersionAbove(new Version(100, "n2")).join())
        .isEqualTo(new Version(101, "n1"));
    assertThat(storage.nextVersionAbove(null).join()).isEqualTo(new Version(102, "n1"));
  }

  @Test
  void scanShowsLiveKeysWithThePrefixInOrder() {
    storage = Storage.inMemory("n1");
    storage.apply(v("user/2", "b", 1, "n1")).join();
    storage.apply(v("user/1", "a", 2, "n1")).join();
    storage.apply(v("user/3", null, 3, "n1")).join();
    storage.apply(v("other", "c", 4, "n1")).join();
    assertThat(storage.scan("user/").join())
        .extracting(Versioned::key)
        .containsExactly("user/1", "user/2");
    assertThat(storage.scan("").join()).hasSize(3);
  }

  @Test
  void digestsAgreeWhateverTheOrderOfWrites() throws Exception {
    storage = Storage.inMemory("n1");
    try (Storage other = Storage.inMemory("n2")) {
      List<Versioned> writes =
          List.of(v("a", "1", 1, "n1"), v("a", "2", 2, "n2"), v("b", "3", 3, "n1"));
      writes.forEach(w -> storage.apply(w).join());
      for (int i = writes.size() - 1; i >= 0; i--) {
        other.apply(writes.get(i)).join();
      }
      assertThat(other.digest().join()).isEqualTo(storage.digest().join());
      other.apply(v("c", "4", 4, "n2")).join();
      assertThat(other.digest().join()).isNotEqualTo(storage.digest().join());
    }
  }

  @Test
  void syncBucketKeepsTheirNewerAndAnswersMine() {
    storage = Storage.inMemory("n1");
    int bucket = Storage.bucketOf("a");
    String other = "b";
    for (int i = 0; Storage.bucketOf(other) != bucket; i++) {
      other = "b" + i;
    }
    Versioned mineNewer = v("a", "mine", 5, "n1");
    Versioned theirsNewer = v(other, "theirs", 7, "n2");
    storage.apply(mineNewer).join();
    storage.apply(v(other, "old", 1, "n1")).join();
    List<Versioned> answer =
        storage.syncBucket(bucket, List.of(v("a", "stale", 2, "n2"), theirsNewer)).join();
    assertThat(answer).containsExactly(mineNewer);
    assertThat(storage.get(other).join()).isEqualTo(theirsNewer);
    assertThat(storage.get("a").join()).isEqualTo(mineNewer);
  }

  @Test
  void survivesARestart() throws Exception {
    storage = Storage.open("n1", dir, true);
    storage.writeLocal("k", "v1".getBytes()).join();
    Versioned last = storage.writeLocal("k", "v2".getBytes()).join();
    storage.writeLocal("gone", "x".getBytes()).join();
    storage.writeLocal("gone", null).join();
    storage.close();
    storage = Storage.open("n1", dir, true);
    assertThat(storage.get("k").join()).isEqualTo(last);
    assertThat(storage.get("gone").join().isTombstone()).isTrue();
    // the clock is recovered too: the next tag is past everything in the log
    assertThat(storage.writeLocal("k", "v3".getBytes()).join().version().time()).isEqualTo(5);
  }
}
