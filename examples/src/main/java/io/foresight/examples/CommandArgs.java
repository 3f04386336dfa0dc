package io.foresight.examples;

import io.foresight.forecast.HistoryReader;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The options of a launcher command ({@code bin/foresight demo}, {@code generate-history}), read
 * one at a time. Every bad value is an {@link IllegalArgumentException} that names the option, the
 * value and what was expected.
 */
final class CommandArgs {
  private final String[] argv;
  private int next;

  CommandArgs(String[] argv) {
    this.argv = argv.clone();
  }

  boolean hasNext() {
    return next < argv.length;
  }

  /** The next option name. */
  String option() {
    return argv[next++];
  }

  /** Whether {@code argv} asks for the usage text. */
  static boolean wantsHelp(String[] argv) {
    for (String a : argv) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  String text(String option) {
    if (!hasNext()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return argv[next++];
  }

  Path path(String option) {
    return Path.of(text(option));
  }

  /** A whole number of at least {@code min}. */
  int whole(String option, int min) {
    String v = text(option);
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " expects a whole number >= " + min + ", got '" + v + "'");
  }

  long anyLong(String option) {
    String v = text(option);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " expects a whole number, got '" + v + "'");
    }
  }

  /** A finite number above zero. */
  double positive(String option) {
    String v = text(option);
    try {
      double d = Double.parseDouble(v.trim());
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " expects a number > 0, e.g. 0.3, got '" + v + "'");
  }

  /** A time in the forms of {@code spark.foresight.job.scheduledTime}. */
  Instant instant(String option) {
    String v = text(option);
    long ms = HistoryReader.scheduledTime(v, Long.MIN_VALUE);
    if (ms == Long.MIN_VALUE) {
      throw new IllegalArgumentException(
          option + " expects " + HistoryReader.SCHEDULED_TIME_FORMS + ", got '" + v + "'");
    }
    return Instant.ofEpochMilli(ms);
  }
}
