package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.config.ConfigException;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadConfigurationTest {
  @TempDir Path scratch;

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "spark.foresight.enabled;yes;true or false",
        "spark.foresight.history.flushInterval;10 parsecs;a duration such as 500ms",
        "spark.foresight.history.flushInterval;5ms;a duration such as 500ms, 10s or 5m, between 100 ms and 86400000 ms",
        "spark.foresight.capture.queueCapacity;12;an integer between 1000 and 10000000",
        "spark.foresight.capture.queueCapacity;lots;an integer between 1000 and 10000000",
        "spark.foresight.history.commitRetries;-1;an integer between 0 and 1000",
        "spark.foresight.history.flushOnJobEnd;1;true or false",
        "spark.foresight.shutdownTimeout;forever;a duration such as 500ms",
        "spark.foresight.capture.executorMetricsPollingInterval;2 hours;a duration",
        "spark.foresight.planner.maxProfiles;9;an integer between 1 and 8",
        "spark.foresight.planner.mode;yolo;one of",
        "spark.foresight.planner.timeout;11m;a duration such as 500ms, 10s or 5m, between 0 ms and 600000 ms",
        "spark.foresight.caps.executorMemory;lots;a size such as 512m or 2g",
        "spark.foresight.planner.minProfileGain;2;a number between 0.0 and 1.0",
        "spark.foresight.gpu.enabled;maybe;true or false",
        "spark.foresight.job.scheduledTime;next tuesday;epoch milliseconds or an ISO-8601 date",
      })
  void eachBadValueNamesKeyValueAndExpectedForm(String key, String value, String expected) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> {
              ForesightConf.parse(Map.of(key, value));
              io.foresight.plan.PlannerConf.parse(Map.of(key, value)); // as the plugin's init does
            });
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("expected " + expected), e.getMessage());
  }

  @Test
  void emptyValuesAreRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ForesightConf.parse(Map.of("spark.foresight.job.id", " ")));
    assertTrue(e.getMessage().contains("expected a non-empty string"), e.getMessage());
  }

  @Test
  void aMisspelledKeyIsRefusedWithTheClosestKnownKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ForesightConf.parse(Map.of("spark.foresight.histroy.path", "/tmp/x")));
    assertEquals(
        "Unknown configuration key spark.foresight.histroy.path: expected one of the documented"
            + " spark.foresight.* keys (did you mean spark.foresight.history.path?)",
        e.getMessage());
  }

  @Test
  void defaultsParse() {
    ForesightConf.Settings s = ForesightConf.parse(Map.of());
    assertTrue(s.enabled());
    assertEquals(300_000, s.flushIntervalMs());
    assertEquals(120_000, s.commitMinGapMs());
    assertTrue(!s.processTreeMetrics(), "process-tree polling forks pgrep: opt-in");
    assertEquals(200_000, s.queueCapacity());
    assertTrue(s.historyPath().endsWith(".foresight/history"));
  }

  /** The ConfigException that made {@code b}'s SparkContext fail to start. */
  private static Throwable configErrorOf(SparkSession.Builder b) {
    Exception e = assertThrows(Exception.class, b::getOrCreate);
    Throwable root = e;
    while (!(root instanceof ConfigException) && root.getCause() != null) {
      root = root.getCause();
    }
    assertTrue(root instanceof ConfigException, "caused by the config error: " + e);
    return root;
  }

  @Test
  void aBadPlannerValueFailsSparkContextStartWithTheMessage() {
    SparkSession.Builder b =
        LocalSpark.builder("local[1]", scratch)
            .config("spark.plugins", ForesightPlugin.class.getName())
            .config("spark.foresight.history.path", scratch.resolve("history").toString())
            .config("spark.foresight.spool.dir", scratch.resolve("spool").toString())
            .config("spark.foresight.planner.maxProfiles", "0");
    Throwable root = configErrorOf(b);
    assertTrue(root.getMessage().contains("spark.foresight.planner.maxProfiles"));
    assertTrue(root.getMessage().contains("between 1 and 8"));
    assertTrue(SparkSession.getActiveSession().isEmpty());
  }

  @Test
  void aBadValueFailsSparkContextStartWithTheMessage() {
    SparkSession.Builder b =
        LocalSpark.builder("local[1]", scratch)
            .config("spark.plugins", ForesightPlugin.class.getName())
            .config("spark.foresight.capture.queueCapacity", "12");
    Throwable root = configErrorOf(b);
    assertTrue(root.getMessage().contains("spark.foresight.capture.queueCapacity"));
    assertTrue(SparkSession.getActiveSession().isEmpty());
  }
}
