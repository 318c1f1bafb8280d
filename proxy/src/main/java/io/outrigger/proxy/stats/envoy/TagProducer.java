package io.outrigger.proxy.stats.envoy;

import io.outrigger.api.model.stats.DefaultTags;
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.api.model.stats.TagSpecifier;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a dotted statistic name into Envoy's tag-extracted name and tags, as the bootstrap's {@code
 * stats_config} says: the custom {@code stats_tags} first, then (with {@code use_all_default_tags})
 * Envoy's default extractors whose tag the custom ones did not take. Every extractor looks at the
 * whole original name; the parts they match are removed together at the end, as in Envoy.
 *
 * <p>Thread-safe; results are cached per name (names come from configuration, so the cache is
 * bounded by it).
 */
public final class TagProducer {
  private final List<TagExtractor> extractors = new ArrayList<>();
  private final List<Tag> fixed = new ArrayList<>();
  private final Map<String, Extracted> cache = new ConcurrentHashMap<>();

  /** Envoy's defaults. */
  public static TagProducer defaults() {
    return new TagProducer(StatsConfig.DEFAULT);
  }

  public TagProducer(StatsConfig config) {
    Map<String, String> defaults = new LinkedHashMap<>(DefaultTags.REGEXES);
    for (TagSpecifier t : config.tags()) {
      if (t.fixedValue().isPresent()) {
        fixed.add(new Tag(t.name(), t.fixedValue().get()));
      } else if (t.regex().isPresent()) {
        extractors.add(new TagExtractor(t.name(), t.regex().get()));
      } else {
        // The model guarantees a default tag name here.
        extractors.add(new TagExtractor(t.name(), DefaultTags.REGEXES.get(t.name())));
      }
      defaults.remove(t.name());
    }
    if (config.useAllDefaultTags()) {
      defaults.forEach((name, regex) -> extractors.add(new TagExtractor(name, regex)));
    }
  }

  /** The tag-extracted name and the tags of {@code statName}. */
  public Extracted produce(String statName) {
    return cache.computeIfAbsent(statName, this::extract);
  }

  private Extracted extract(String statName) {
    List<Tag> tags = new ArrayList<>();
    BitSet remove = new BitSet(statName.length());
    List<String> taken = new ArrayList<>();
    for (TagExtractor e : extractors) {
      if (taken.contains(e.name())) {
        continue;
      }
      TagExtractor.Match m = e.extract(statName);
      if (m != null) {
        tags.add(new Tag(e.name(), m.value()));
        remove.set(m.removeFrom(), m.removeTo());
        taken.add(e.name());
      }
    }
    tags.addAll(fixed);
    StringBuilder name = new StringBuilder(statName.length());
    for (int i = 0; i < statName.length(); i++) {
      if (!remove.get(i)) {
        name.append(statName.charAt(i));
      }
    }
    return new Extracted(name.toString(), List.copyOf(tags));
  }

  /**
   * @param name the name without the tags' parts, e.g. {@code cluster.upstream_rq_xx}
   * @param tags in extraction order, then the fixed tags
   */
  public record Extracted(String name, List<Tag> tags) {}
}
