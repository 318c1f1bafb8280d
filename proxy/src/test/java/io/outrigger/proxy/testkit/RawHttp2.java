package io.outrigger.proxy.testkit;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * HTTP/2 frames written and read as bytes on a blocking socket, for tests that send what no
 * well-behaved HTTP/2 library would (frames on closed streams, windows past their limit).
 */
public final class RawHttp2 {
  public static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int GOAWAY = 0x7;
  public static final int WINDOW_UPDATE = 0x8;
  public static final int END_STREAM = 0x1;
  public static final int END_HEADERS = 0x4;

  /** GET http / with :authority "a": indexed :method, :scheme and :path, a literal :authority. */
  public static final byte[] GET = {(byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, 0x01, 'a'};

  private RawHttp2() {}

  /** A frame as it was read. */
  public record Frame(int type, int flags, int stream, byte[] payload) {
    /** The error code of a RST_STREAM or a GOAWAY. */
    public long code() {
      return ByteBuffer.wrap(payload, type == GOAWAY ? 4 : 0, 4).getInt() & 0xffffffffL;
    }

    public boolean endsStream() {
      return (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0;
    }

    @Override
    public String toString() {
      return "type " + type + " flags " + flags + " stream " + stream;
    }
  }

  /** Writes one frame (not flushed). */
  public static void write(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    int n = payload.length;
    out.write(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type});
    out.write(flags);
    out.write(ByteBuffer.allocate(4).putInt(stream).array());
    out.write(payload);
  }

  /** A WINDOW_UPDATE's or RST_STREAM's four bytes. */
  public static byte[] int32(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  /**
   * Reads frames up to and including the first that {@code until} accepts; fails the test if the
   * connection ends or falls silent first.
   */
  public static List<Frame> readUntil(DataInputStream in, Predicate<Frame> until)
      throws IOException {
    List<Frame> frames = new ArrayList<>();
    while (true) {
      Frame f;
      try {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int id = in.readInt() & 0x7fffffff;
        f = new Frame(type, flags, id, in.readNBytes(length));
      } catch (EOFException | SocketTimeoutException e) {
        throw new AssertionError("no frame as expected; got " + frames, e);
      }
      frames.add(f);
      if (until.test(f)) {
        return frames;
      }
    }
  }
}
