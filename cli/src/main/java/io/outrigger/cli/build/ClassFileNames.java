package io.outrigger.cli.build;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The class names a class file's constant pool holds: the classes in its descriptors and generic
 * signatures ({@code Lio/a/B;}), and every dotted or slashed name-like token of any string constant
 * (class constants, annotation types, string literals) that names a class of the jar. That
 * over-approximates what the JVM may load from this class, the safe direction for {@link
 * JarSlimmer}: it also sees a name handed to {@code Class.forName} as a literal. It does not see a
 * name built at run time.
 */
final class ClassFileNames {
  private static final int MAGIC = 0xCAFEBABE;

  /**
   * A class in a descriptor or signature: {@code Lio/a/B;}, also after {@code [} or {@code (IJ}.
   */
  private static final Pattern DESCRIPTOR = Pattern.compile("L([^;<>()\\[\\s]+)[;<]");

  /** A name as a class constant or a literal holds it: {@code io/a/B$C} or {@code io.a.B$C}. */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:[./][A-Za-z_$][A-Za-z0-9_$]*)+");

  private ClassFileNames() {}

  /**
   * The internal names ({@code a/b/C$D}) in {@code classFile}'s constant pool for which {@code
   * known} is true.
   *
   * @throws IOException if the bytes are not a class file
   */
  static Set<String> referenced(byte[] classFile, Predicate<String> known) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a class file (bad magic number)");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    Set<String> names = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> addNames(in.readUTF(), known, names); // Utf8
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8); // a long or a double takes two entries
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3); // MethodHandle
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    return names;
  }

  private static void addNames(String constant, Predicate<String> known, Set<String> names) {
    for (Matcher m = DESCRIPTOR.matcher(constant); m.find(); ) {
      add(m.group(1), known, names);
    }
    for (Matcher m = NAME.matcher(constant); m.find(); ) {
      add(m.group().replace('.', '/'), known, names);
    }
  }

  private static void add(String name, Predicate<String> known, Set<String> names) {
    if (known.test(name)) {
      names.add(name);
    }
  }
}
