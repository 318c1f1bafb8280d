package io.outrigger.kvstore;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's durable state: an append-only file of {@link Versioned} records in {@code
 * DIR/kvstore.log}. On open it is replayed (newest tag per key wins), a torn or corrupt tail from a
 * crash is cut off, and the file is rewritten compacted (one record per key, tombstones included)
 * before appending resumes. {@code DIR/LOCK} keeps a second replica out of the same folder.
 *
 * <p>Not thread-safe: only the storage thread calls it. Appends are buffered; {@link #sync()} makes
 * everything appended so far durable, and the storage thread calls it once per batch of writes
 * (group commit) before any of them is acknowledged.
 *
 * <p>Record: {@code int length, int crc32(payload), payload}; payload: {@code UTF key, long time,
 * UTF replica, byte hasValue, [int n, n bytes]}.
 */
final class DataLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataLog.class);
  static final String FILE = "kvstore.log";
  private static final int MAX_RECORD = 8 << 20;

  private final FileChannel channel;
  private final OutputStream out;
  private final FileLock lock;
  private final boolean fsync;
  private boolean dirty;

  private DataLog(FileChannel channel, FileLock lock, boolean fsync) {
    this.channel = channel;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    this.lock = lock;
    this.fsync = fsync;
  }

  /**
   * Locks {@code dir}, replays its log into {@code into} (keeping the newest tag per key), compacts
   * the file and opens it for appending.
   *
   * @throws IOException if the folder cannot be created or is locked by another process
   */
  static DataLog open(Path dir, boolean fsync, Map<String, Versioned> into) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel =
        FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException(dir + " is in use by another replica (LOCK is held)");
    }
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      int n = replay(file, into);
      log.info("replayed {} records of {} into {} keys", n, file, into.size());
    }
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream o = new BufferedOutputStream(Channels.newOutputStream(c), 64 * 1024);
      for (Versioned v : into.values()) {
        o.write(encode(v));
      }
      o.flush();
      c.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new DataLog(channel, lock, fsync);
  }

  /** Reads records until the end or the first torn or corrupt one; returns how many were read. */
  static int replay(Path file, Map<String, Versioned> into) throws IOException {
    int n = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
      while (true) {
        Versioned v;
        try {
          v = read(in);
        } catch (EOFException e) {
          return n;
        }
        if (v == null) {
          log.warn("{}: corrupt record after {} good ones; the rest is ignored", file, n);
          return n;
        }
        into.merge(v.key(), v, Versioned::newest);
        n++;
      }
    }
  }

  private static Versioned read(DataInputStream in) throws IOException {
    int length = in.readInt();
    int crc = in.readInt();
    if (length <= 0 || length > MAX_RECORD) {
      return null;
    }
    byte[] payload = in.readNBytes(length);
    if (payload.length < length) {
      throw new EOFException("torn record");
    }
    CRC32 check = new CRC32();
    check.update(payload);
    if ((int) check.getValue() != crc) {
      return null;
    }
    DataInputStream p = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    String key = p.readUTF();
    long time = p.readLong();
    String replica = p.readUTF();
    byte[] value = null;
    if (p.readBoolean()) {
      value = p.readNBytes(p.readInt());
    }
    return new Versioned(key, value, new Version(time, replica));
  }

  static byte[] encode(Versioned v) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    DataOutputStream p = new DataOutputStream(payload);
    p.writeUTF(v.key());
    p.writeLong(v.version().time());
    p.writeUTF(v.version().replica());
    p.writeBoolean(v.value() != null);
    if (v.value() != null) {
      p.writeInt(v.value().length);
      p.write(v.value());
    }
    byte[] bytes = payload.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(bytes);
    ByteArrayOutputStream record = new ByteArrayOutputStream(bytes.length + 8);
    DataOutputStream r = new DataOutputStream(record);
    r.writeInt(bytes.length);
    r.writeInt((int) crc.getValue());
    r.write(bytes);
    return record.toByteArray();
  }

  /** Buffers one record; it is durable after the next {@link #sync()}. */
  void append(Versioned v) throws IOException {
    out.write(encode(v));
    dirty = true;
  }

  /** True when something was appended since the last {@link #sync()}. */
  boolean dirty() {
    return dirty;
  }

  /** Writes the buffer out and, with fsync on, forces it to the device. */
  void sync() throws IOException {
    out.flush();
    if (fsync) {
      channel.force(false);
    }
    dirty = false;
  }

  @Override
  public void close() throws IOException {
    try {
      sync();
    } finally {
      channel.close();
      lock.release();
      lock.channel().close();
    }
  }
}
