package io.foresight.capture;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Spark's redaction rules, applied before anything reaches the tables or the logs.
 *
 * <ul>
 *   <li>A conf entry whose key or value matches {@code spark.redaction.regex} (default {@value
 *       #DEFAULT_KEY_REGEX}) has its value replaced, as Spark's UI and event log do.
 *   <li>Text (values, failure messages, job groups) has matches of {@code
 *       spark.sql.redaction.string.regex}, else {@code spark.redaction.string.regex}, replaced.
 *   <li>On top of Spark's rules, {@code password=…}, {@code secret:…} and similar pairs in text
 *       (JDBC URLs, connection strings) are always redacted.
 * </ul>
 */
public final class Redactor {
  public static final String REDACTED = "*********(redacted)";
  static final String DEFAULT_KEY_REGEX = "(?i)secret|password|token|access[.]?key";
  private static final Pattern PAIRS =
      Pattern.compile(
          "(?i)(password|passwd|pwd|secret|token|access[._-]?key|credential)(\\s*[=:]\\s*)[^&;,\\s'\")]+");

  private final Pattern keyRegex;
  private final Pattern stringRegex;

  private Redactor(Pattern keyRegex, Pattern stringRegex) {
    this.keyRegex = keyRegex;
    this.stringRegex = stringRegex;
  }

  /** Rules from Spark properties (Spark's defaults when unset). */
  public static Redactor from(Map<String, String> sparkProperties) {
    String key = sparkProperties.getOrDefault("spark.redaction.regex", DEFAULT_KEY_REGEX);
    String str = sparkProperties.get("spark.sql.redaction.string.regex");
    if (str == null) {
      str = sparkProperties.get("spark.redaction.string.regex");
    }
    return new Redactor(compile(key), str == null ? null : compile(str));
  }

  private static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (RuntimeException e) {
      // An invalid user regex must not disable redaction: fall back to redacting everything.
      return Pattern.compile(".+");
    }
  }

  public Map<String, String> conf(Map<String, String> conf) {
    Map<String, String> out = new TreeMap<>();
    conf.forEach((k, v) -> out.put(k, value(k, v)));
    return out;
  }

  /** One conf value under its key. */
  public String value(String key, String value) {
    if (value == null) {
      return null;
    }
    if (keyRegex.matcher(key).find() || keyRegex.matcher(value).find()) {
      return REDACTED;
    }
    return text(value);
  }

  /** Free text. */
  public String text(String text) {
    if (text == null) {
      return null;
    }
    String s =
        PAIRS.matcher(text).replaceAll("$1$2" + java.util.regex.Matcher.quoteReplacement(REDACTED));
    if (stringRegex != null) {
      s = stringRegex.matcher(s).replaceAll(REDACTED);
    }
    return s;
  }
}
