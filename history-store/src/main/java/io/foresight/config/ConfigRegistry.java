package io.foresight.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@code spark.foresight.*} key that exists. A key registers once (a second registration is a
 * programming error); the reference in {@code conf/} is generated from this registry, and {@link
 * #checkKnown(Map)} refuses misspelled keys at plugin init.
 */
public final class ConfigRegistry {
  public static final String PREFIX = "spark.foresight.";
  private static final Map<String, ConfigEntry<?>> ENTRIES = new ConcurrentHashMap<>();

  private ConfigRegistry() {}

  static <T> ConfigEntry<T> register(ConfigEntry<T> entry) {
    if (!entry.key().startsWith(PREFIX)) {
      throw new IllegalStateException("Foresight keys start with " + PREFIX + ": " + entry.key());
    }
    if (ENTRIES.putIfAbsent(entry.key(), entry) != null) {
      throw new IllegalStateException("Configuration key declared twice: " + entry.key());
    }
    return entry;
  }

  /** All registered entries, sorted by key. Load the declaring classes first. */
  public static List<ConfigEntry<?>> entries() {
    List<ConfigEntry<?>> list = new ArrayList<>(ENTRIES.values());
    list.sort(Comparator.comparing(ConfigEntry::key));
    return list;
  }

  /**
   * Fails when {@code conf} holds a {@code spark.foresight.*} key that no entry declares, naming
   * the key and the closest known one.
   */
  public static void checkKnown(Map<String, String> conf) {
    for (String key : conf.keySet()) {
      if (key.startsWith(PREFIX) && !ENTRIES.containsKey(key)) {
        throw new ConfigException(
            "Unknown configuration key "
                + key
                + ": expected one of the documented spark.foresight.* keys"
                + closest(key).map(k -> " (did you mean " + k + "?)").orElse(""));
      }
    }
  }

  private static java.util.Optional<String> closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : ENTRIES.keySet()) {
      int d = distance(key, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return bestDistance <= 4 ? java.util.Optional.ofNullable(best) : java.util.Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The reference table (Markdown) generated from the entries, as checked into {@code conf/}. */
  public static String referenceMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Foresight configuration reference\n\n")
        .append("Generated from the declared entries by `bin/foresight conf-reference`; ")
        .append("a test fails when this file is stale. Set keys with `--conf` or in ")
        .append("`spark-defaults.conf`. Unknown `spark.foresight.*` keys fail at plugin init.\n\n")
        .append("| key | default | expected | meaning | since |\n")
        .append("|---|---|---|---|---|\n");
    for (ConfigEntry<?> e : entries()) {
      sb.append("| `")
          .append(e.key())
          .append("` | ")
          .append(e.defaultText() == null ? "(none)" : "`" + e.defaultText() + "`")
          .append(" | ")
          .append(e.expected())
          .append(" | ")
          .append(e.doc())
          .append(" | ")
          .append(e.since())
          .append(" |\n");
    }
    return sb.toString();
  }
}
