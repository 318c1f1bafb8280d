package io.outrigger.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a message's header fields as HTTP/1.1 puts them on the wire, {@code name: value} and CRLF
 * each, in the order the headers hold them: what Netty's HTTP/1 encoders do in {@code
 * encodeHeaders}, without the iterator and its entry per message when the headers are {@link
 * CompactHeaders} (every message the codecs make). Names and values were validated when they were
 * set; nothing is checked here.
 */
public final class Http1HeaderWriter {
  private static final short COLON_SPACE = (':' << 8) | ' ';
  private static final short CRLF = ('\r' << 8) | '\n';

  private Http1HeaderWriter() {}

  /** Appends every field of {@code headers} to {@code buf}. */
  public static void write(HttpHeaders headers, ByteBuf buf) {
    if (headers instanceof CompactHeaders compact) {
      for (int i = 0, n = compact.size(); i < n; i++) {
        field(compact.nameAt(i), compact.valueAt(i), buf);
      }
      return;
    }
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      field(e.getKey(), e.getValue(), buf);
    }
  }

  private static void field(CharSequence name, CharSequence value, ByteBuf buf) {
    int nameLength = name.length();
    int valueLength = value.length();
    buf.ensureWritable(nameLength + valueLength + 4);
    int at = buf.writerIndex();
    ascii(name, buf, at);
    at += nameLength;
    buf.setShort(at, COLON_SPACE);
    at += 2;
    ascii(value, buf, at);
    at += valueLength;
    buf.setShort(at, CRLF);
    buf.writerIndex(at + 2);
  }

  private static void ascii(CharSequence s, ByteBuf buf, int at) {
    if (s instanceof AsciiString a) {
      ByteBufUtil.copy(a, 0, buf, at, a.length());
    } else {
      buf.setCharSequence(at, s, CharsetUtil.US_ASCII);
    }
  }
}
