package io.outrigger.controlplane.resources;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.ResourceFile;
import io.outrigger.config.ResourceFileLoader;
import io.outrigger.config.ResourceYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A change of the folder asked for over the HTTP API, worked out in memory: which files get which
 * resources. A resource that exists is replaced in the file that holds it; a new one goes to {@code
 * outrigger-api.yaml} (in the group's sub-folder, for a group). Changed files are written whole in
 * canonical form, so their comments and {@code ${VAR}} expressions are not kept.
 */
public final class ResourceEdit {
  /** The file new resources go to. */
  public static final String API_FILE = "outrigger-api.yaml";

  private final ResourceFolder folder;
  private final FolderContents current;
  private final Map<Path, List<Message>> changed = new LinkedHashMap<>();
  private final Map<Path, Optional<String>> groups = new LinkedHashMap<>();

  public ResourceEdit(ResourceFolder folder, FolderContents current) {
    this.folder = requireNonNull(folder, "folder");
    this.current = requireNonNull(current, "current");
  }

  /** Adds or replaces {@code resource} in what {@code group} (empty: every group) is served. */
  public void put(Message resource, Optional<String> group) {
    ResourceType type = ResourceType.of(resource);
    String name = ResourceType.nameOf(resource);
    for (FolderContents.LoadedFile f : current.files()) {
      List<Message> resources = resources(f.path(), f);
      if (group.map(f::servesGroup).orElse(f.group().isEmpty())) {
        for (int i = 0; i < resources.size(); i++) {
          if (ResourceType.of(resources.get(i)) == type
              && ResourceType.nameOf(resources.get(i)).equals(name)) {
            resources.set(i, resource);
            mark(f.path(), f.group(), resources);
            return;
          }
        }
      }
    }
    Path target = folder.fileFor(group, API_FILE);
    List<Message> resources =
        current.files().stream()
            .filter(f -> f.path().equals(target))
            .findFirst()
            .map(f -> resources(target, f))
            .orElseGet(() -> changed.getOrDefault(target, new ArrayList<>()));
    resources.add(resource);
    mark(target, group, resources);
  }

  /** Removes every resource of {@code type} named {@code name}; false when there is none. */
  public boolean delete(ResourceType type, String name) {
    boolean found = false;
    for (FolderContents.LoadedFile f : current.files()) {
      List<Message> resources = resources(f.path(), f);
      if (resources.removeIf(
          r -> ResourceType.of(r) == type && ResourceType.nameOf(r).equals(name))) {
        mark(f.path(), f.group(), resources);
        found = true;
      }
    }
    return found;
  }

  /** The changed files' new text, by path. */
  public Map<Path, String> texts() {
    Map<Path, String> out = new LinkedHashMap<>();
    changed.forEach((path, resources) -> out.put(path, ResourceYaml.write(resources)));
    return out;
  }

  /** The folder as it will read once the changed files are written, for validation. */
  public FolderContents result(Map<String, String> env) throws ConfigException {
    Map<Path, String> texts = texts();
    List<FolderContents.LoadedFile> files = new ArrayList<>();
    for (FolderContents.LoadedFile f : current.files()) {
      files.add(texts.containsKey(f.path()) ? reread(f.path(), f.group(), texts, env) : f);
    }
    for (Path path : texts.keySet()) {
      if (current.files().stream().noneMatch(f -> f.path().equals(path))) {
        files.add(reread(path, groups.get(path), texts, env));
      }
    }
    return new FolderContents(files);
  }

  private FolderContents.LoadedFile reread(
      Path path, Optional<String> group, Map<Path, String> texts, Map<String, String> env)
      throws ConfigException {
    String source = folder.dir().relativize(path).toString();
    ResourceFile file = ResourceFileLoader.load(texts.get(path), source, env);
    return new FolderContents.LoadedFile(path, group, file);
  }

  private List<Message> resources(Path path, FolderContents.LoadedFile f) {
    return changed.getOrDefault(path, new ArrayList<>(f.file().resources()));
  }

  private void mark(Path path, Optional<String> group, List<Message> resources) {
    changed.put(path, resources);
    groups.put(path, group);
  }
}
