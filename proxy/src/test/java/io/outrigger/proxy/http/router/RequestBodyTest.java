package io.outrigger.proxy.http.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  private static HttpContent piece(String s) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  @Test
  void aReplayableBodyHandsOutCopiesAndKeepsItsPieces() {
    RequestBody body = new RequestBody(100, true);
    HttpContent first = piece("hello ");
    body.add(first);
    body.add(new DefaultLastHttpContent(Unpooled.copiedBuffer("world", StandardCharsets.UTF_8)));

    HttpContent copy = body.take(0);
    assertThat(copy.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello ");
    copy.release();
    body.forgetBefore(2); // ignored while replayable
    assertThat(body.start()).isZero();
    assertThat(body.complete()).isTrue();
    HttpContent again = body.take(0);
    assertThat(again.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello ");
    again.release();

    body.release();
    assertThat(first.refCnt()).isZero();
  }

  @Test
  void outgrowingTheLimitStopsReplayAndFreesWhatWasSent() {
    RequestBody body = new RequestBody(8, true);
    HttpContent small = piece("12345");
    assertThat(body.add(small)).isTrue();
    body.take(0).release(); // the attempt wrote its copy

    assertThat(body.add(piece("67890"))).isFalse();
    assertThat(body.replayable()).isFalse();
    body.forgetBefore(1);
    assertThat(small.refCnt()).isZero();
    assertThat(body.start()).isEqualTo(1);

    HttpContent handedOver = body.take(1); // ownership passes: no copy kept
    assertThat(handedOver.refCnt()).isEqualTo(1);
    handedOver.release();
    body.forgetBefore(2);
    assertThat(body.end()).isEqualTo(2);
    body.release();
  }

  @Test
  void aBodyThatIsNeverReplayedIsNeverCopied() {
    RequestBody body = new RequestBody(1 << 20, false);
    HttpContent p = piece("once");
    body.add(p);

    assertThat(body.take(0)).isSameAs(p);
    p.release();
    body.forgetBefore(1);
    body.release();
  }

  @Test
  void piecesKeepTheirAbsolutePositionsAsTheBodyGrowsAndIsForgottenInParts() {
    RequestBody body = new RequestBody(1 << 20, false);
    HttpContent[] sent = new HttpContent[7];
    for (int i = 0; i < 5; i++) {
      sent[i] = piece("p" + i);
      body.add(sent[i]);
    }
    assertThat(body.end()).isEqualTo(5);
    assertThatThrownBy(() -> body.take(5)).isInstanceOf(IndexOutOfBoundsException.class);
    for (int i = 0; i < 3; i++) {
      assertThat(body.take(i)).isSameAs(sent[i]);
      sent[i].release(); // the attempt wrote it
    }

    body.forgetBefore(3);
    assertThat(body.start()).isEqualTo(3);
    sent[5] = piece("p5");
    sent[6] = new DefaultLastHttpContent(Unpooled.copiedBuffer("p6", StandardCharsets.UTF_8));
    body.add(sent[5]);
    body.add(sent[6]);

    assertThat(body.end()).isEqualTo(7);
    assertThat(body.complete()).isTrue();
    assertThat(body.take(4)).isSameAs(sent[4]);
    assertThat(body.take(6)).isSameAs(sent[6]);
    body.release();
    assertThat(sent[3].refCnt()).isZero();
    assertThat(sent[5].refCnt()).isZero();
    assertThat(sent[4].refCnt()).isEqualTo(1); // handed over to the caller
    assertThat(sent[6].refCnt()).isEqualTo(1);
    sent[4].release();
    sent[6].release();
  }
}
