package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.capture.CaptureEvent.AppEnded;
import io.foresight.capture.CaptureEvent.AppStarted;
import io.foresight.capture.CaptureEvent.JobEnded;
import io.foresight.capture.CaptureEvent.JobStarted;
import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageCompleted;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.capture.CaptureEvent.StageSubmitted;
import io.foresight.history.HistoryStore;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long application commits many times: once all it spooled is committed and the spool is past its
 * size, the writer starts a new spool and deletes the old, and every row reaches the history once.
 */
class SpoolRollTest {
  @TempDir Path root;

  @Test
  void aCommittedSpoolPastItsSizeIsReplacedAndNoRowIsLostOrRepeated() throws Exception {
    Path spoolDir = root.resolve("spool");
    String history = root.resolve("history").toString();
    HistoryStore store = HistoryStore.open(history, spoolDir, new Configuration(), 5);
    CaptureStats stats = new CaptureStats();
    // Commit on every job end; roll past 32 KiB (some 20 stage rows).
    CaptureWriter w =
        CaptureWriter.start(
            store, new CaptureWriter.Policy(600_000, true, 0, 10_000, 32 * 1024), stats);
    w.accept(new AppStarted("app-long", null, "long", "me", 0));
    int stageId = 0;
    int jobs = 0;
    long largestSpool = 0;
    for (int round = 0; round < 6; round++) {
      for (int j = 0; j < 40; j++, jobs++) {
        StageShape s =
            new StageShape(
                stageId++, 0, "batch", 2, List.of(), List.of(new RddOp(jobs, "Scan", "rdd")));
        w.accept(new JobStarted(jobs, 10L * jobs, List.of(s), null, null, false, null));
        w.accept(new StageSubmitted(s, false, 10L * jobs));
        w.accept(new StageCompleted(s, 10L * jobs, 10L * jobs + 5, null, null, 0, new long[0]));
        w.accept(new JobEnded(jobs, 10L * jobs + 6, true, null));
      }
      // The application's row, then a stage row and a job row per job. A commit is counted once
      // the spool it emptied has been replaced, if it was large.
      while (stats.rowsCommitted() < 1 + 2L * (jobs)) {
        Thread.sleep(20);
      }
      List<Path> files = spoolFiles(spoolDir);
      assertEquals(1, files.size(), "one spool at a time: " + files);
      largestSpool = Math.max(largestSpool, Files.size(files.get(0)));
    }
    w.accept(new AppEnded(100_000L, 0));
    w.stop(60_000);

    assertTrue(stats.spoolRolls() >= 5, "a roll after each commit past 32 KiB: " + stats);
    assertTrue(largestSpool < 32 * 1024, "what a roll leaves is the new, empty spool: " + stats);
    assertEquals(stats.rowsSpooled(), stats.rowsCommitted(), stats.toString());
    assertEquals(0, stats.commitFailures() + stats.errors(), stats.toString());
    assertTrue(spoolFiles(spoolDir).isEmpty(), "the last spool is deleted at the end");

    SparkSession spark = LocalSpark.start(root.resolve("spark"), Map.of());
    try {
      HistoryViews.register(spark, history);
      Row r =
          spark
              .sql(
                  "SELECT count(*), count(DISTINCT stage_id), max(stage_id) FROM foresight.stages"
                      + " WHERE app_id = 'app-long'")
              .first();
      assertEquals(jobs, r.getLong(0), "every stage once: " + r);
      assertEquals(jobs, r.getLong(1), r.toString());
      assertEquals(jobs - 1, r.getInt(2), r.toString());
      assertEquals(
          (long) jobs,
          spark.sql("SELECT count(*) FROM foresight.jobs").first().getLong(0),
          "every job once");
    } finally {
      spark.stop();
    }
  }

  private static List<Path> spoolFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".spool")).toList();
    }
  }
}
