package io.outrigger.controlplane.faults;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.outrigger.api.model.PartitionRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the fault state in a file beside the resources, so that a control plane that restarts does
 * not heal a partition nobody healed. Each change is written to a temporary file, forced to disk
 * and moved over the old one, so the file always holds one whole state. A hidden file: the resource
 * folder's watcher ignores it.
 */
public final class FaultJournal {
  /** The file's name in the resource folder. */
  public static final String FILE = ".outrigger-faults.json";

  private final Path file;

  public FaultJournal(Path resources) {
    this.file = requireNonNull(resources, "resources").resolve(FILE);
  }

  /** The state written last, or {@link FaultState#INITIAL} when there is none. */
  public FaultState load() throws IOException {
    if (!Files.exists(file)) {
      return FaultState.INITIAL;
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      List<LinkRule> links = new ArrayList<>();
      for (var e : o.getAsJsonArray("links")) {
        JsonObject l = e.getAsJsonObject();
        links.add(
            new LinkRule(
                l.get("from").getAsString(),
                new PartitionRule(
                    l.get("to").getAsString(),
                    PartitionRule.Action.parse(l.get("action").getAsString()),
                    Duration.ofMillis(l.get("delay_ms").getAsLong()),
                    l.get("fraction").getAsDouble())));
      }
      return new FaultState(o.get("version").getAsLong(), links);
    } catch (JsonParseException | IllegalStateException | NullPointerException e) {
      throw new IOException(file + ": not a fault state the control plane wrote: " + e, e);
    }
  }

  /** Writes {@code state} whole, replacing the file at once. */
  public void save(FaultState state) {
    JsonArray links = new JsonArray();
    for (LinkRule l : state.links()) {
      JsonObject o = new JsonObject();
      o.addProperty("from", l.from());
      o.addProperty("to", l.to());
      o.addProperty("action", l.rule().action().configName());
      o.addProperty("delay_ms", l.rule().delay().toMillis());
      o.addProperty("fraction", l.rule().fraction());
      links.add(o);
    }
    JsonObject root = new JsonObject();
    root.addProperty("version", state.version());
    root.add("links", links);
    try {
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, root.toString(), StandardCharsets.UTF_8);
      try (var channel =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the fault state in " + file, e);
    }
  }
}
