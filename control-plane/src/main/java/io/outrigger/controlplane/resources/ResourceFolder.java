package io.outrigger.controlplane.resources;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.ResourceFileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder of resource files: {@code DIR/*.yaml} (and {@code *.yml}) shared by every node group,
 * {@code DIR/GROUP/*.yaml} for the nodes whose {@code node.cluster} is {@code GROUP}. Hidden files
 * (a leading dot, as editors' and this control plane's temporary files have) and deeper folders are
 * not read. Blocking file I/O on the caller's thread.
 */
public final class ResourceFolder {
  private final Path dir;
  private final Map<String, String> env;

  /**
   * @param dir the folder
   * @param env the variables {@code ${VAR}} in the files may name
   */
  public ResourceFolder(Path dir, Map<String, String> env) {
    this.dir = requireNonNull(dir, "dir");
    this.env = Map.copyOf(requireNonNull(env, "env"));
  }

  public Path dir() {
    return dir;
  }

  /**
   * Reads every file; the first refusal names its file (relative to the folder), line and field.
   */
  public FolderContents load() throws ConfigException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(dir.toString(), "", "not a folder (expected: the resource folder)");
    }
    List<FolderContents.LoadedFile> files = new ArrayList<>();
    for (Path file : list(dir, Files::isRegularFile)) {
      files.add(load(file, Optional.empty()));
    }
    for (Path group : list(dir, Files::isDirectory)) {
      for (Path file : list(group, Files::isRegularFile)) {
        files.add(load(file, Optional.of(group.getFileName().toString())));
      }
    }
    return new FolderContents(files);
  }

  /** Where a new file for {@code group} goes (empty: shared). */
  public Path fileFor(Optional<String> group, String name) {
    return group.map(dir::resolve).orElse(dir).resolve(name);
  }

  private FolderContents.LoadedFile load(Path file, Optional<String> group) throws ConfigException {
    String source = dir.relativize(file).toString();
    return new FolderContents.LoadedFile(file, group, ResourceFileLoader.load(file, source, env));
  }

  private List<Path> list(Path folder, java.util.function.Predicate<Path> kind)
      throws ConfigException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(kind)
          .filter(p -> Files.isDirectory(p) || isYaml(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ConfigException(folder.toString(), "", "cannot list: " + e.getMessage());
    }
  }

  static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }
}
