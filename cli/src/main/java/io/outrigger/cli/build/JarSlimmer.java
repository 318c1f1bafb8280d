package io.outrigger.cli.build;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the runnable jar without what no run can load: its directory entries, and the classes
 * under the given package prefixes (the generated protobuf code of the API artifacts) that no other
 * class of the jar reaches. Run by the cli module's {@code package} phase, after the shade and
 * before the class-data archive is trained: {@code java -cp target/classes
 * io.outrigger.cli.build.JarSlimmer target/outrigger.jar io/envoyproxy/envoy/ …}. Not a subcommand;
 * nothing else runs it.
 *
 * <p>Why: the JDK reads a jar's whole central directory into the Java heap when it opens the jar
 * and keeps it for the life of the class loader, about 125 bytes per entry. The generated packages
 * were 11,600 of the shaded jar's 39,000 entries, four fifths of them from {@code .proto} files
 * that nothing in Outrigger or its libraries names, and the directory entries 3,000 more: without
 * them a sidecar's live heap is 1.6 MB smaller (docs/benchmarks.md, session 12).
 *
 * <p>Reachability is by name ({@link ClassFileNames}): every class outside the prefixes, and every
 * service provider named in {@code META-INF/services}, is a root; a class under a prefix stays if a
 * kept class's constant pool names it. Generated protobuf code loads message classes only through
 * such references (its descriptors need no classes), so a message type that a configuration or xDS
 * resource names but no code reaches is refused as an unknown type, as it is today.
 *
 * <p>BouncyCastle is pruned too. It builds class names at run time only in its JCA providers
 * ({@code BouncyCastleProvider} registering its algorithm classes), which Outrigger never creates:
 * it uses BouncyCastle's certificate, CSR and PEM classes over the JDK's own providers. Netty would
 * create that provider to read a PKCS#1 or SEC1 key handed to it as PEM, so Outrigger reads every
 * key itself ({@code io.outrigger.proxy.tls.KeyAndChain}); {@code SidecarProcessIT} checks such
 * keys through the built jar. Other libraries are never pruned: they may load their own classes by
 * names built at run time. A multi-release jar's versioned copies follow their base class.
 */
public final class JarSlimmer {
  private static final String VERSIONS = "META-INF/versions/";
  private static final String SERVICES = "META-INF/services/";
  private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/");

  /** What a slimming removed; counts of jar entries and of classes (a class's versions as one). */
  record Result(int entriesBefore, int entriesAfter, int directories, int classesDropped) {}

  private JarSlimmer() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: JarSlimmer JAR PACKAGE_PREFIX... (prefixes as a/b/)");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    List<String> prefixes = List.of(args).subList(1, args.length);
    Result r = slim(jar, prefixes);
    System.out.printf(
        "JarSlimmer: %s: %,d -> %,d entries (%,d directory entries, %,d unreachable classes under"
            + " %d prefixes)%n",
        jar.getFileName(),
        r.entriesBefore(),
        r.entriesAfter(),
        r.directories(),
        r.classesDropped(),
        prefixes.size());
  }

  /** Rewrites {@code jar} in place (through a sibling file moved over it). */
  static Result slim(Path jar, List<String> prunablePrefixes) throws IOException {
    for (String p : prunablePrefixes) {
      if (!p.endsWith("/") || p.startsWith("/") || p.contains(".")) {
        throw new IllegalArgumentException(
            "prefix: "
                + p
                + " (expected: a package path ending in '/', e.g. io/envoyproxy/envoy/)");
      }
    }
    Path tmp = jar.resolveSibling(jar.getFileName() + ".slim");
    Set<String> dropped;
    int before = 0;
    int after = 0;
    int directories = 0;
    try (ZipFile zip = new ZipFile(jar.toFile());
        ZipOutputStream out =
            new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      dropped = unreachable(zip, prunablePrefixes);
      out.setLevel(Deflater.BEST_SPEED);
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        before++;
        if (entry.isDirectory()) {
          directories++;
          continue;
        }
        String cls = className(entry.getName());
        if (cls != null && dropped.contains(cls)) {
          continue;
        }
        copy(zip, entry, out);
        after++;
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(before, after, directories, dropped.size());
  }

  /** The classes under the prefixes that no root reaches by name. */
  private static Set<String> unreachable(ZipFile zip, List<String> prefixes) throws IOException {
    Set<String> classes = new HashSet<>();
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      String cls = className(e.nextElement().getName());
      if (cls != null) {
        classes.add(cls);
      }
    }
    Map<String, Set<String>> references = references(zip, classes);
    Deque<String> pending = new ArrayDeque<>(roots(zip, classes, prefixes));
    Set<String> reached = new HashSet<>(pending);
    while (!pending.isEmpty()) {
      for (String next : references.getOrDefault(pending.poll(), Set.of())) {
        if (reached.add(next)) {
          pending.add(next);
        }
      }
    }
    Set<String> unreachable = new HashSet<>(classes);
    unreachable.removeAll(reached);
    return Collections.unmodifiableSet(unreachable);
  }

  /** Each class's references to other classes of the jar, its versioned copies' included. */
  private static Map<String, Set<String>> references(ZipFile zip, Set<String> classes)
      throws IOException {
    Map<String, Set<String>> references = new HashMap<>();
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      String cls = className(entry.getName());
      if (cls == null) {
        continue;
      }
      try (InputStream in = zip.getInputStream(entry)) {
        references
            .computeIfAbsent(cls, k -> new HashSet<>())
            .addAll(ClassFileNames.referenced(in.readAllBytes(), classes::contains));
      } catch (IOException ex) {
        throw new IOException(entry.getName() + ": " + ex.getMessage(), ex);
      }
    }
    return references;
  }

  /** The classes outside the prefixes, and the service providers that META-INF/services names. */
  private static List<String> roots(ZipFile zip, Set<String> classes, List<String> prefixes)
      throws IOException {
    List<String> roots = new ArrayList<>();
    for (String cls : classes) {
      if (!underAny(cls, prefixes)) {
        roots.add(cls);
      }
    }
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      if (!entry.getName().startsWith(SERVICES) || entry.isDirectory()) {
        continue;
      }
      try (InputStream in = zip.getInputStream(entry)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String provider = line.replaceFirst("#.*", "").trim().replace('.', '/');
          if (classes.contains(provider)) {
            roots.add(provider);
          }
        }
      }
    }
    return roots;
  }

  private static boolean underAny(String cls, List<String> prefixes) {
    for (String p : prefixes) {
      if (cls.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** {@code a/b/C} for {@code a/b/C.class} and its versioned copies; null for other entries. */
  static String className(String entryName) {
    if (!entryName.endsWith(".class")) {
      return null;
    }
    String name =
        entryName.startsWith(VERSIONS) ? VERSIONED.matcher(entryName).replaceFirst("") : entryName;
    name = name.substring(0, name.length() - ".class".length());
    return name.endsWith("module-info") ? null : name;
  }

  private static void copy(ZipFile zip, ZipEntry entry, ZipOutputStream out) throws IOException {
    ZipEntry copy = new ZipEntry(entry.getName());
    copy.setTime(entry.getTime());
    if (entry.getMethod() == ZipEntry.STORED) {
      copy.setMethod(ZipEntry.STORED);
      copy.setSize(entry.getSize());
      copy.setCompressedSize(entry.getSize());
      copy.setCrc(entry.getCrc());
    }
    out.putNextEntry(copy);
    try (InputStream in = zip.getInputStream(entry)) {
      in.transferTo(out);
    }
    out.closeEntry();
  }
}
