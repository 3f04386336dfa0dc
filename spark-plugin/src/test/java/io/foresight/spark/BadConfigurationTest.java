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
      })
  void eachBadValueNamesKeyValueAndExpectedForm(String key, String value, String expected) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ForesightConf.parse(Map.of(key, value)));
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
    assertEquals(60_000, s.flushIntervalMs());
    assertEquals(30_000, s.commitMinGapMs());
    assertTrue(!s.processTreeMetrics(), "process-tree polling forks pgrep: opt-in");
    assertEquals(200_000, s.queueCapacity());
    assertTrue(s.historyPath().endsWith(".foresight/history"));
  }

  @Test
  void aBadValueFailsSparkContextStartWithTheMessage() {
    SparkSession.Builder b =
        LocalSpark.builder("local[1]", scratch)
            .config("spark.plugins", ForesightPlugin.class.getName())
            .config("spark.foresight.capture.queueCapacity", "12");
    Exception e = assertThrows(Exception.class, b::getOrCreate);
    Throwable root = e;
    while (!(root instanceof ConfigException) && root.getCause() != null) {
      root = root.getCause();
    }
    assertTrue(root instanceof ConfigException, "caused by the config error: " + e);
    assertTrue(root.getMessage().contains("spark.foresight.capture.queueCapacity"));
    assertTrue(SparkSession.getActiveSession().isEmpty());
  }
}
