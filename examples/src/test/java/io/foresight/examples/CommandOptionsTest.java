package io.foresight.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The options of {@code bin/foresight demo} and {@code generate-history}, good and bad. */
class CommandOptionsTest {

  @Test
  void generateHistoryReadsEveryOption() {
    GenerateHistory.Options o =
        GenerateHistory.Options.parse(
            new String[] {
              "--runs",
              "40",
              "--history",
              "/h",
              "--work",
              "/w",
              "--base-scale",
              "0.5",
              "--max-scale",
              "2",
              "--every-hours",
              "6",
              "--seed",
              "-3",
              "--start",
              "2026-12-01T02:00:00Z",
              "--warm-up",
              "0",
              "--cores",
              "1",
              "--cluster"
            },
            8);
    assertEquals(40, o.runs());
    assertEquals("/h", o.history());
    assertEquals(Path.of("/w"), o.work());
    assertEquals(0.5, o.baseScale());
    assertEquals(2.0, o.maxScale());
    assertEquals(6, o.everyHours());
    assertEquals(-3L, o.seed());
    assertEquals(Instant.parse("2026-12-01T02:00:00Z"), o.start());
    assertEquals(0, o.warmUp());
    assertEquals(1, o.cores());
    assertTrue(o.cluster());
  }

  @Test
  void generateHistoryStartsOnADate() {
    GenerateHistory.Options o =
        GenerateHistory.Options.parse(new String[] {"--start", "2026-12-01"}, 2);
    assertEquals(Instant.parse("2026-12-01T00:00:00Z"), o.start());
  }

  @Test
  void generateHistoryDefaultsLeaveACoreForTheRest() {
    GenerateHistory.Options local = GenerateHistory.Options.parse(new String[0], 8);
    assertEquals(36, local.runs());
    assertEquals(7, local.cores());
    assertFalse(local.cluster());
    assertEquals(2, GenerateHistory.Options.parse(new String[] {"--cluster"}, 8).cores());
  }

  @Test
  void badValuesNameTheOptionTheValueAndWhatWasExpected() {
    assertEquals(
        "--runs expects a whole number >= 1, got 'x'", generateHistoryError("--runs", "x"));
    assertEquals(
        "--runs expects a whole number >= 1, got '0'", generateHistoryError("--runs", "0"));
    assertEquals(
        "--warm-up expects a whole number >= 0, got '-1'", generateHistoryError("--warm-up", "-1"));
    assertEquals(
        "--base-scale expects a number > 0, e.g. 0.3, got 'NaN'",
        generateHistoryError("--base-scale", "NaN"));
    assertTrue(
        generateHistoryError("--start", "1st of December")
            .startsWith("--start expects epoch milliseconds or an ISO-8601 date"));
    assertTrue(generateHistoryError("--start", "1st of December").endsWith("'1st of December'"));
    assertEquals("--seed expects a whole number, got '1.5'", generateHistoryError("--seed", "1.5"));
    assertEquals("--history needs a value", generateHistoryError("--history"));
    assertEquals("unknown option --rusn", generateHistoryError("--rusn", "3"));
    assertEquals(
        "--cores 3 with --cluster: the embedded worker offers 2 cores, so expected 1 to 2",
        generateHistoryError("--cluster", "--cores", "3"));
  }

  @Test
  void demoOptions() {
    Demo.Options d =
        Demo.Options.parse(new String[] {"--runs", "2", "--no-cluster", "--history", "/h"});
    assertEquals(2, d.runs());
    assertFalse(d.cluster());
    assertEquals("/h", d.history());
    Demo.Options defaults = Demo.Options.parse(new String[0]);
    assertEquals(4, defaults.runs());
    assertTrue(defaults.cluster());
    assertTrue(defaults.history().endsWith("/.foresight/history"), defaults.history());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Demo.Options.parse(new String[] {"--runs"}));
    assertEquals("--runs needs a value", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Demo.Options.parse(new String[] {"--cluster"}));
    assertEquals("unknown option --cluster", e.getMessage());
  }

  @Test
  void helpIsAskedForAnywhereOnTheLine() {
    assertTrue(CommandArgs.wantsHelp(new String[] {"--runs", "3", "--help"}));
    assertTrue(CommandArgs.wantsHelp(new String[] {"-h"}));
    assertFalse(CommandArgs.wantsHelp(new String[] {"--history", "/help"}));
  }

  private static String generateHistoryError(String... argv) {
    return assertThrows(
            IllegalArgumentException.class, () -> GenerateHistory.Options.parse(argv, 2))
        .getMessage();
  }
}
