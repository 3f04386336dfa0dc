package io.foresight.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCompactorTest {
  @TempDir Path root;

  @Test
  void compactionFoldsSmallCommitFilesAndKeepsEveryRow() throws Exception {
    HistoryStore store =
        HistoryStore.open(
            root.resolve("h").toString(), root.resolve("spool"), new Configuration(), 5);
    try (SpoolWriter spool = store.newSpool()) {
      for (int i = 0; i < 5; i++) {
        spool.append(io.foresight.testing.HistoryRecords.job("app", i));
        spool.seal();
        store.commitSealed(spool);
      }
    }
    // one prediction commit per planned application: three files
    for (int i = 0; i < 3; i++) {
      PredictionTable.append(
          root.resolve("h").toString(), new Configuration(), List.of(prediction(i)));
    }
    SparkSession spark = LocalSpark.start(root.resolve("spark"), Map.of());
    try {
      List<String> report = HistoryCompactor.compact(spark, root.resolve("h").toString());
      assertEquals(6, report.size(), "four history tables, predictions and plans: " + report);
      assertTrue(
          report.stream().anyMatch(l -> l.matches("jobs\\s+5 files compacted into 1")),
          report.toString());
      assertTrue(
          report.stream().anyMatch(l -> l.matches("predictions\\s+3 files compacted into 1")),
          report.toString());
      assertTrue(
          report.stream().anyMatch(l -> l.matches("plans\\s+0 files compacted into 0")),
          report.toString());
      HistoryViews.register(spark, root.resolve("h").toString());
      assertEquals(5L, spark.sql("SELECT count(*) FROM foresight.jobs").first().getLong(0));
      assertEquals(
          List.of(0.0, 1.0, 2.0),
          spark
              .sql("SELECT point FROM foresight.predictions ORDER BY point")
              .collectAsList()
              .stream()
              .map(r -> r.getDouble(0))
              .toList());
      long files =
          spark
              .sql(
                  "DESCRIBE DETAIL delta.`"
                      + HistoryLocation.of(root.resolve("h").toString())
                          .tablePath(HistoryTable.JOBS)
                      + "`")
              .first()
              .getAs("numFiles");
      assertEquals(1L, files);
    } finally {
      spark.stop();
    }
  }

  static PredictionRecord prediction(int i) {
    return new PredictionRecord(
        HistoryRecord.SCHEMA_VERSION,
        "forecast-" + i,
        "test-job",
        "app-" + i,
        1000L + i,
        "v1",
        "job",
        null,
        null,
        "job_wall_clock_seconds",
        "s",
        (double) i,
        i + 1.0,
        0.95,
        "HIGH",
        null,
        1.0,
        2,
        2,
        "cli",
        System.currentTimeMillis());
  }

  /**
   * {@code bin/foresight compact} run by hand or from cron while applications capture: the
   * compaction (delta-spark's OPTIMIZE) and the capture's Kernel appends commit to the same tables
   * at the same time, and neither loses or repeats a row.
   */
  @Test
  void compactionWhileCaptureCommitsLosesNothing() throws Exception {
    String history = root.resolve("h").toString();
    HistoryStore store = HistoryStore.open(history, root.resolve("spool"), new Configuration(), 5);
    try (SpoolWriter spool = store.newSpool()) {
      for (int i = 0; i < 8; i++) {
        spool.append(io.foresight.testing.HistoryRecords.job("before", i));
        spool.seal();
        store.commitSealed(spool);
      }
    }
    SparkSession spark = LocalSpark.start(root.resolve("spark"), Map.of());
    ExecutorService capture = Executors.newSingleThreadExecutor();
    try {
      HistoryViews.register(spark, history);
      AtomicBoolean compacting = new AtomicBoolean(true);
      // A second store, as another driver's capture: its own spool, one commit per job row,
      // until the compaction is over and a few more after.
      Future<Integer> committed =
          capture.submit(
              () -> {
                HistoryStore live =
                    HistoryStore.open(history, root.resolve("spool-live"), new Configuration(), 5);
                int n = 0;
                int after = 0;
                try (SpoolWriter spool = live.newSpool()) {
                  while (after < 3) {
                    if (!compacting.get()) {
                      after++;
                    }
                    spool.append(io.foresight.testing.HistoryRecords.job("during", n++));
                    spool.seal();
                    live.commitSealed(spool);
                    Thread.sleep(100); // a capture commits every few minutes; leave Spark a core
                  }
                }
                return n;
              });
      List<String> report = HistoryCompactor.compact(spark, history);
      compacting.set(false);
      int during = committed.get();
      assertTrue(
          report.stream().anyMatch(l -> l.startsWith("jobs") && !l.contains(" 0 files compacted")),
          report.toString());
      // The compaction read the table at one version and committed after the capture's commits
      // that followed it: Delta's conflict check let the two through.
      org.apache.spark.sql.Row optimize =
          spark
              .sql(
                  "DESCRIBE HISTORY delta.`"
                      + HistoryLocation.of(history).tablePath(HistoryTable.JOBS)
                      + "`")
              .where("operation = 'OPTIMIZE'")
              .select("version", "readVersion")
              .first();
      assertTrue(
          optimize.getLong(1) < optimize.getLong(0) - 1,
          "capture commits landed between the compaction's read and its commit: " + optimize);
      List<org.apache.spark.sql.Row> counts =
          spark
              .sql(
                  "SELECT app_id, count(*), count(DISTINCT job_id), min(job_id), max(job_id)"
                      + " FROM foresight.jobs GROUP BY app_id ORDER BY app_id")
              .collectAsList();
      assertEquals(2, counts.size(), counts.toString());
      assertEquals("before", counts.get(0).getString(0));
      assertEquals(8L, counts.get(0).getLong(1));
      assertEquals(8L, counts.get(0).getLong(2));
      assertEquals("during", counts.get(1).getString(0));
      assertEquals((long) during, counts.get(1).getLong(1), "every row once: " + counts);
      assertEquals((long) during, counts.get(1).getLong(2), counts.toString());
      assertEquals(during - 1, counts.get(1).getInt(4));
      assertTrue(during > 3, "the capture committed while compacting: " + during);
    } finally {
      capture.shutdownNow();
      spark.stop();
    }
  }
}
