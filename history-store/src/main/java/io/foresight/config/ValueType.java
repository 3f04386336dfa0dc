package io.foresight.config;

import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value types configuration entries use, with the parser and the "expected" text shown in
 * errors and in the reference. Durations and sizes follow Spark's spelling ({@code 10s}, {@code
 * 512m}).
 *
 * @param <T> the parsed type
 */
public record ValueType<T>(Function<String, T> parser, String expected) {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|m|mb|g|gb|t|tb)?", Pattern.CASE_INSENSITIVE);

  public static final ValueType<String> STRING =
      new ValueType<>(
          s -> {
            if (s.isEmpty()) {
              throw new IllegalArgumentException("empty");
            }
            return s;
          },
          "a non-empty string");

  public static final ValueType<Boolean> BOOLEAN =
      new ValueType<>(
          s -> {
            switch (s.toLowerCase(Locale.ROOT)) {
              case "true":
                return true;
              case "false":
                return false;
              default:
                throw new IllegalArgumentException("not a boolean");
            }
          },
          "true or false");

  /** Milliseconds, from a duration such as {@code 250ms}, {@code 10s}, {@code 5m}. */
  public static ValueType<Long> durationMs(long minMs, long maxMs) {
    return new ValueType<>(
        s -> {
          Matcher m = DURATION.matcher(s);
          if (!m.matches()) {
            throw new IllegalArgumentException("not a duration");
          }
          long n = Long.parseLong(m.group(1));
          String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
          long ms =
              switch (unit) {
                case "ms" -> n;
                case "s" -> n * 1000L;
                case "m", "min" -> n * 60_000L;
                case "h" -> n * 3_600_000L;
                default -> n * 86_400_000L;
              };
          return inRange(ms, minMs, maxMs);
        },
        "a duration such as 500ms, 10s or 5m, between " + minMs + " ms and " + maxMs + " ms");
  }

  /** Bytes, from a size such as {@code 512m} or {@code 2g}. */
  public static ValueType<Long> bytes(long min, long max) {
    return new ValueType<>(
        s -> {
          Matcher m = SIZE.matcher(s);
          if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
          }
          long n = Long.parseLong(m.group(1));
          String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
          long factor =
              switch (unit.charAt(0)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1L;
              };
          return inRange(Math.multiplyExact(n, factor), min, max);
        },
        "a size such as 512m or 2g, between " + min + " and " + max + " bytes");
  }

  public static ValueType<Integer> integer(int min, int max) {
    return new ValueType<>(
        s -> (int) inRange(Integer.parseInt(s), min, max),
        "an integer between " + min + " and " + max);
  }

  public static ValueType<Double> fraction(double min, double max) {
    return new ValueType<>(
        s -> {
          double v = Double.parseDouble(s);
          if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("out of range");
          }
          return v;
        },
        "a number between " + min + " and " + max);
  }

  /** One of a fixed set of lower-case words. */
  public static ValueType<String> oneOf(String... choices) {
    return new ValueType<>(
        s -> {
          String v = s.toLowerCase(Locale.ROOT);
          for (String c : choices) {
            if (c.equals(v)) {
              return c;
            }
          }
          throw new IllegalArgumentException("unknown choice");
        },
        "one of " + String.join(", ", choices));
  }

  private static long inRange(long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException("out of range");
    }
    return v;
  }
}
