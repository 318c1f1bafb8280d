package io.outrigger.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.cli.build.fixture.Root;
import io.outrigger.cli.build.fixture.gen.AlsoUnreached;
import io.outrigger.cli.build.fixture.gen.NamedByString;
import io.outrigger.cli.build.fixture.gen.Provider;
import io.outrigger.cli.build.fixture.gen.Reached;
import io.outrigger.cli.build.fixture.gen.Transitive;
import io.outrigger.cli.build.fixture.gen.Unreached;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarSlimmerTest {
  private static final String GEN = "io/outrigger/cli/build/fixture/gen/";

  @TempDir Path dir;

  @Test
  void dropsDirectoriesAndTheClassesUnderThePrefixThatNoKeptClassNames() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
    entries.put("io/", null);
    entries.put(GEN, null);
    for (Class<?> c :
        List.of(
            Root.class,
            Reached.class,
            Transitive.class,
            NamedByString.class,
            Provider.class,
            Unreached.class,
            AlsoUnreached.class)) {
      entries.put(entryName(c), classBytes(c));
    }
    entries.put("META-INF/versions/11/" + GEN + "Unreached.class", classBytes(Unreached.class));
    entries.put("META-INF/versions/11/" + GEN + "Reached.class", classBytes(Reached.class));
    entries.put(
        "META-INF/services/io.example.Service",
        ("# a comment\n" + Provider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
    entries.put(GEN + "notes.txt", "not a class".getBytes(StandardCharsets.UTF_8));
    Path jar = write(entries);

    JarSlimmer.Result result = JarSlimmer.slim(jar, List.of(GEN));

    assertThat(names(jar))
        .containsExactly(
            "META-INF/MANIFEST.MF",
            entryName(Root.class),
            entryName(Reached.class),
            entryName(Transitive.class),
            entryName(NamedByString.class),
            entryName(Provider.class),
            "META-INF/versions/11/" + GEN + "Reached.class",
            "META-INF/services/io.example.Service",
            GEN + "notes.txt");
    assertThat(result).isEqualTo(new JarSlimmer.Result(14, 9, 2, 2));
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.getInputStream(zip.getEntry(entryName(Reached.class))).readAllBytes())
          .isEqualTo(classBytes(Reached.class));
    }
    assertThat(jar.resolveSibling(jar.getFileName() + ".slim")).doesNotExist();
  }

  @Test
  void keepsEveryClassOutsideThePrefixesEvenWhenNothingNamesIt() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(entryName(Unreached.class), classBytes(Unreached.class));
    entries.put(entryName(AlsoUnreached.class), classBytes(AlsoUnreached.class));
    Path jar = write(entries);

    JarSlimmer.Result result = JarSlimmer.slim(jar, List.of("io/example/"));

    assertThat(names(jar)).containsExactlyElementsOf(entries.keySet());
    assertThat(result.classesDropped()).isZero();
  }

  @Test
  void refusesAPrefixThatIsNotAPackagePath() {
    assertThatThrownBy(() -> JarSlimmer.slim(dir.resolve("any.jar"), List.of("io.envoyproxy")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix: io.envoyproxy");
  }

  @Test
  void namesTheEntryThatIsNotAClassFile() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(GEN + "Broken.class", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    Path jar = write(entries);

    assertThatThrownBy(() -> JarSlimmer.slim(jar, List.of(GEN)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(GEN + "Broken.class")
        .hasMessageContaining("bad magic number");
  }

  @Test
  void aClassNameIsTheEntryWithoutItsVersionDirectory() {
    assertThat(JarSlimmer.className("a/b/C$D.class")).isEqualTo("a/b/C$D");
    assertThat(JarSlimmer.className("META-INF/versions/9/a/b/C.class")).isEqualTo("a/b/C");
    assertThat(JarSlimmer.className("META-INF/versions/9/module-info.class")).isNull();
    assertThat(JarSlimmer.className("a/b/c.proto")).isNull();
  }

  @Test
  void aClassFileNamesItsReferencesAndItsStringLiteralsThatNameKnownClasses() throws IOException {
    Set<String> known =
        Set.of(GEN + "Reached", GEN + "NamedByString", GEN + "Unreached", "java/lang/Object");

    assertThat(ClassFileNames.referenced(classBytes(Root.class), known::contains))
        .containsExactlyInAnyOrder(GEN + "Reached", GEN + "NamedByString", "java/lang/Object");
  }

  private Path write(Map<String, byte[]> entries) throws IOException {
    Path jar = Files.createTempFile(dir, "test", ".jar");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        if (e.getValue() != null) {
          out.write(e.getValue());
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  private static List<String> names(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().forEach(e -> names.add(e.getName()));
    }
    return names;
  }

  private static String entryName(Class<?> c) {
    return c.getName().replace('.', '/') + ".class";
  }

  private static byte[] classBytes(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }
}
