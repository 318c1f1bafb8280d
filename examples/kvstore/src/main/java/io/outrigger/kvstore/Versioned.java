package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key's value with its tag, as one replica holds it. A null value is a tombstone: the key was
 * deleted at that version. Tombstones are kept (never collected) so that a delete wins over older
 * writes that arrive late from a healed partition.
 *
 * @param key the key, 1..256 UTF-8 bytes
 * @param value the bytes, or null for a tombstone
 * @param version the tag
 */
public record Versioned(String key, byte[] value, Version version) {
  /** The longest key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 256;

  public Versioned {
    requireNonNull(version, "version");
    checkKey(key);
  }

  /** Throws {@link IllegalArgumentException} unless the key is 1..256 UTF-8 bytes. */
  public static void checkKey(String key) {
    requireNonNull(key, "key");
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "key: " + bytes + " bytes (expected: 1.." + MAX_KEY_BYTES + ")");
    }
  }

  public static Versioned tombstone(String key, Version version) {
    return new Versioned(key, null, version);
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** The value as text, as the public API shows it; null for a tombstone. */
  public String text() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** The larger-tagged of two holdings of the same key; {@code a} may be null. */
  public static Versioned newest(Versioned a, Versioned b) {
    return a == null || b.version.isNewerThan(a.version) ? b : a;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Versioned v
        && key.equals(v.key)
        && Arrays.equals(value, v.value)
        && version.equals(v.version);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * key.hashCode() + Arrays.hashCode(value)) + version.hashCode();
  }

  @Override
  public String toString() {
    return key + "=" + (value == null ? "<deleted>" : value.length + " bytes") + "@" + version;
  }
}
