package io.outrigger.controlplane.resources;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.outrigger.config.ResourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resource folder as read: each YAML file with its resources. Files at the top level are shared
 * by every node group; files in a sub-folder belong to the group of that name ({@code
 * node.cluster}).
 *
 * @param files in a stable order: shared files first, then by group and name
 */
public record FolderContents(List<LoadedFile> files) {
  public FolderContents {
    files = List.copyOf(requireNonNull(files, "files"));
  }

  /**
   * One file of the folder.
   *
   * @param path the file
   * @param group the group it belongs to; empty for a shared file
   * @param file its resources and lines; {@link ResourceFile#source()} is the path relative to the
   *     folder
   */
  public record LoadedFile(Path path, Optional<String> group, ResourceFile file) {
    public LoadedFile {
      requireNonNull(path, "path");
      requireNonNull(group, "group");
      requireNonNull(file, "file");
    }

    /** Whether this file's resources are served to {@code g}. */
    boolean servesGroup(String g) {
      return group.isEmpty() || group.get().equals(g);
    }
  }

  /**
   * One resource and where it is written.
   *
   * @param proto the resource
   * @param file the file that holds it
   * @param index its position in that file
   */
  public record Located(Message proto, LoadedFile file, int index) {
    public ResourceType type() {
      return ResourceType.of(proto);
    }

    public String name() {
      return ResourceType.nameOf(proto);
    }
  }

  /** The groups that have a sub-folder. */
  public Set<String> groups() {
    Set<String> groups = new TreeSet<>();
    files.forEach(f -> f.group().ifPresent(groups::add));
    return groups;
  }

  /** The resources served to {@code group}: the shared ones and the group's own. */
  public List<Located> resourcesFor(String group) {
    List<Located> out = new ArrayList<>();
    for (LoadedFile f : files) {
      if (f.servesGroup(group)) {
        addAll(f, out);
      }
    }
    return out;
  }

  /** Every resource of every file. */
  public List<Located> all() {
    List<Located> out = new ArrayList<>();
    files.forEach(f -> addAll(f, out));
    return out;
  }

  /** The file whose source (path relative to the folder) is {@code source}. */
  public Optional<LoadedFile> file(String source) {
    return files.stream().filter(f -> f.file().source().equals(source)).findFirst();
  }

  private static void addAll(LoadedFile f, List<Located> out) {
    List<Message> resources = f.file().resources();
    for (int i = 0; i < resources.size(); i++) {
      out.add(new Located(resources.get(i), f, i));
    }
  }
}
