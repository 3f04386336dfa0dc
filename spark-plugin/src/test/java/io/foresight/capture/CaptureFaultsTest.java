package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever goes wrong inside Foresight, the user's job completes with correct results; the failure
 * is counted.
 */
class CaptureFaultsTest {
  @TempDir Path root;

  @AfterEach
  void clearHook() {
    CaptureWriter.faultHook = null;
  }

  /** A job with a shuffle, an aggregate and a join; returns its rows. */
  private static List<Row> workload(SparkSession spark) {
    spark.range(0, 20_000, 1, 4).selectExpr("id", "id % 10 AS k").createOrReplaceTempView("t");
    spark
        .range(0, 10)
        .selectExpr("id AS k", "concat('name-', id) AS n")
        .createOrReplaceTempView("d");
    return spark
        .sql(
            "SELECT d.n, count(*) AS c, sum(t.id) AS s FROM t JOIN d ON t.k = d.k GROUP BY d.n ORDER BY d.n")
        .collectAsList();
  }

  private static void assertCorrect(List<Row> rows) {
    assertEquals(10, rows.size());
    for (int k = 0; k < 10; k++) {
      Row r = rows.get(k);
      assertEquals("name-" + k, r.getString(0));
      assertEquals(2_000L, r.getLong(1));
      long expected = 0;
      for (long id = k; id < 20_000; id += 10) {
        expected += id;
      }
      assertEquals(expected, r.getLong(2));
    }
  }

  private List<Row> runWith(Map<String, String> extra) {
    return runWith(extra, spark -> {});
  }

  private List<Row> runWith(
      Map<String, String> extra, java.util.function.Consumer<SparkSession> before) {
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.plugins", ForesightPlugin.class.getName());
    conf.put("spark.foresight.spool.dir", root.resolve("spool").toString());
    conf.put("spark.foresight.shutdownTimeout", "5s");
    conf.putAll(extra);
    SparkSession spark = LocalSpark.start(root.resolve("spark"), conf);
    try {
      before.accept(spark);
      return workload(spark);
    } finally {
      spark.stop();
    }
  }

  @Test
  void unwritableHistoryPath() throws Exception {
    Path blocker = Files.writeString(root.resolve("a-file"), "not a folder");
    List<Row> rows =
        runWith(Map.of("spark.foresight.history.path", blocker.resolve("history").toString()));
    assertCorrect(rows);
    CaptureStats stats = ForesightPlugin.lastCaptureStats();
    assertTrue(stats.commitFailures() > 0, stats.toString());
    assertEquals(0, stats.rowsCommitted());
    assertTrue(stats.rowsSpooled() > 0, "rows are kept in the spool: " + stats);
    try (Stream<Path> spool = Files.list(root.resolve("spool"))) {
      assertTrue(spool.anyMatch(p -> p.toString().endsWith(".spool")), "spool kept for later");
    }
  }

  @Test
  void corruptDeltaLog() throws Exception {
    Path history = root.resolve("history");
    runWith(Map.of("spark.foresight.history.path", history.toString()));
    assertTrue(ForesightPlugin.lastCaptureStats().rowsCommitted() > 0);
    for (String table : List.of("apps", "jobs", "stages", "executors")) {
      try (Stream<Path> log = Files.list(history.resolve(table).resolve("_delta_log"))) {
        for (Path p : log.filter(Files::isRegularFile).toList()) {
          Files.writeString(p, "}}}} this is not a delta log {{{{");
        }
      }
    }
    List<Row> rows = runWith(Map.of("spark.foresight.history.path", history.toString()));
    assertCorrect(rows);
    CaptureStats stats = ForesightPlugin.lastCaptureStats();
    assertTrue(stats.commitFailures() > 0, stats.toString());
  }

  @Test
  void aFullQueueDropsAndCountsButNeverBlocksSpark() {
    CaptureWriter.faultHook =
        e -> {
          try {
            Thread.sleep(20); // a writer far slower than Spark
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
        };
    long t0 = System.nanoTime();
    List<Row> rows =
        runWith(
            Map.of(
                "spark.foresight.history.path", root.resolve("history").toString(),
                "spark.foresight.capture.queueCapacity", "1000",
                "spark.foresight.shutdownTimeout", "1s"),
            spark -> assertEquals(3000L, spark.range(0, 3000, 1, 3000).rdd().count()));
    assertCorrect(rows);
    CaptureStats stats = ForesightPlugin.lastCaptureStats();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    // 1000 queued events at 20 ms each would take 20 s to drain if Spark waited for the writer.
    assertTrue(seconds < 20, "Spark did not wait for the writer: " + seconds + " s");
    assertTrue(stats.eventsDropped() > 0, stats.toString());
    assertTrue(stats.eventsDropped() < stats.eventsReceived(), "some events were kept: " + stats);
  }

  @Test
  void exceptionInsideTheWriter() {
    CaptureWriter.faultHook =
        e -> {
          if (e instanceof CaptureEvent.TaskEnded || e instanceof CaptureEvent.StageCompleted) {
            throw new IllegalStateException("injected Foresight bug");
          }
        };
    List<Row> rows =
        runWith(Map.of("spark.foresight.history.path", root.resolve("history").toString()));
    assertCorrect(rows);
    CaptureStats stats = ForesightPlugin.lastCaptureStats();
    assertTrue(stats.errors() > 0, stats.toString());
    assertTrue(stats.rowsCommitted() > 0, "rows not hit by the fault are still written: " + stats);
  }
}
