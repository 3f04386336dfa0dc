package io.foresight.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One typed configuration key: name, default, parser, check and a one-line doc. Entries are
 * declared once, as constants, and registered in {@link ConfigRegistry}; reading a value goes
 * through {@link #readFrom(java.util.Map)} so the parse and the error message are the same
 * everywhere.
 *
 * @param <T> the value type
 */
public final class ConfigEntry<T> {
  private final String key;
  private final String defaultText;
  private final Function<String, T> parser;
  private final String expected;
  private final String doc;
  private final String since;

  private ConfigEntry(
      String key,
      String defaultText,
      Function<String, T> parser,
      String expected,
      String doc,
      String since) {
    this.key = Objects.requireNonNull(key);
    this.defaultText = defaultText;
    this.parser = Objects.requireNonNull(parser);
    this.expected = Objects.requireNonNull(expected);
    this.doc = Objects.requireNonNull(doc);
    this.since = since;
  }

  public static Builder builder(String key) {
    return new Builder(key);
  }

  public String key() {
    return key;
  }

  /** The default as written in the reference, or null when the key has no default. */
  public String defaultText() {
    return defaultText;
  }

  public String expected() {
    return expected;
  }

  public String doc() {
    return doc;
  }

  public String since() {
    return since;
  }

  /** Parses {@code text}, failing with a message that names key, value and expected form. */
  public T parse(String text) {
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      throw new ConfigException(
          String.format("Invalid value '%s' for %s: expected %s%s", text, key, expected, why), e);
    }
  }

  /** The value in {@code conf}, else the default; empty when neither exists. */
  public Optional<T> readFrom(java.util.Map<String, String> conf) {
    String raw = conf.get(key);
    if (raw == null) {
      return defaultText == null ? Optional.empty() : Optional.of(parse(defaultText));
    }
    return Optional.of(parse(raw));
  }

  @Override
  public String toString() {
    return key;
  }

  /** Builds an entry; {@code doc} and a parser are required. */
  public static final class Builder {
    private final String key;
    private String doc;
    private String since = "0.1.0";

    private Builder(String key) {
      this.key = key;
    }

    public Builder doc(String text) {
      this.doc = text;
      return this;
    }

    public Builder since(String version) {
      this.since = version;
      return this;
    }

    public <T> ConfigEntry<T> typed(ValueType<T> type, String defaultText) {
      ConfigEntry<T> entry =
          new ConfigEntry<>(key, defaultText, type.parser(), type.expected(), doc, since);
      if (defaultText != null) {
        entry.parse(defaultText); // a bad default is a programming error: fail at class init
      }
      return ConfigRegistry.register(entry);
    }
  }
}
