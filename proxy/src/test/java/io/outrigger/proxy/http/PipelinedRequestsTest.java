package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

class PipelinedRequestsTest {
  private final PipelinedRequests queue = new PipelinedRequests();

  private static DefaultHttpRequest request() {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
  }

  @Test
  void holdsRequestsAndTheirBodiesUpToTheBoundThenRefusesAndReleases() {
    for (int i = 0; i < PipelinedRequests.MAX_REQUESTS; i++) {
      assertThat(queue.offer(request())).isTrue();
      assertThat(queue.offer(LastHttpContent.EMPTY_LAST_CONTENT)).isTrue();
    }
    FullHttpRequest past =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.copiedBuffer(new byte[] {1}));

    assertThat(queue.offer(past)).isFalse();
    assertThat(past.refCnt()).isZero();
    // A body piece is no request: it still joins the request it belongs to.
    assertThat(queue.offer(LastHttpContent.EMPTY_LAST_CONTENT)).isTrue();
  }

  @Test
  void aRequestTakenFromTheQueueMakesRoomForAnother() {
    for (int i = 0; i < PipelinedRequests.MAX_REQUESTS; i++) {
      queue.offer(request());
    }
    assertThat(queue.poll()).isInstanceOf(DefaultHttpRequest.class);
    assertThat(queue.offer(request())).isTrue();
    assertThat(queue.offer(request())).isFalse();
  }

  @Test
  void releasesWhatIsLeftWhenTheConnectionCloses() {
    FullHttpRequest waiting =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.copiedBuffer(new byte[] {1}));
    queue.offer(waiting);
    queue.releaseAll();
    assertThat(waiting.refCnt()).isZero();
    assertThat(queue.isEmpty()).isTrue();
  }
}
