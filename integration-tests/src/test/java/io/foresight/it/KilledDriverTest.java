package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed with SIGKILL mid-run loses nothing: the next Foresight start on the same spool
 * commits every completed stage, exactly once.
 */
class KilledDriverTest {
  @TempDir Path root;

  @Test
  void sigkilledDriverLosesNoCompletedStage() throws Exception {
    String history = root.resolve("history").toString();
    String spool = root.resolve("spool").toString();
    Set<String> completed = new HashSet<>();
    String appId;
    // Nothing is committed before the kill: every row must come back through the spool. The
    // killed JVM's Spark scratch (block manager, artifacts), which its shutdown hooks would have
    // deleted, goes to this test's folder instead of java.io.tmpdir.
    Path tmp = Files.createDirectories(root.resolve("killed-driver-tmp"));
    try (ChildJvm driver =
        ChildJvm.start(
            ChildJvm.moduleClasspath(),
            List.of("-Djava.io.tmpdir=" + tmp),
            CapturedWorkload.class.getName(),
            List.of(
                history,
                spool,
                "10",
                "60000",
                "spark.foresight.history.flushOnJobEnd=false",
                "spark.foresight.history.flushInterval=1h"))) {
      driver.await(l -> l.equals("JOB-DONE 1"), 120_000);
      // The listener bus is drained when JOB-DONE prints; give the writer thread a moment.
      Thread.sleep(1_500);
      driver.kill();
      driver.linesStartingWith("STAGE ").forEach(l -> completed.add(l.substring(6)));
    }
    assertTrue(completed.size() >= 2, "stages completed before the kill: " + completed);
    try (Stream<Path> files = Files.list(Path.of(spool))) {
      assertTrue(files.anyMatch(p -> p.toString().endsWith(".spool")), "the spool survived");
    }
    assertTrue(
        !Files.exists(root.resolve("history/stages")), "nothing was committed before the kill");

    // The restart: a new driver on the same spool recovers the orphan.
    try (ChildJvm restart =
        ChildJvm.start(
            ChildJvm.moduleClasspath(),
            List.of(),
            CapturedWorkload.class.getName(),
            List.of(history, spool, "1", "0"))) {
      assertEquals(0, restart.waitFor(180_000), restart.output());
    }

    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, history);
      List<Row> apps =
          reader.sql("SELECT app_id, status FROM foresight.apps ORDER BY start_ms").collectAsList();
      assertEquals(2, apps.size());
      appId = apps.get(0).getString(0);
      assertEquals("RUNNING", apps.get(0).getString(1), "the killed app never ended");
      assertEquals("SUCCEEDED", apps.get(1).getString(1));
      List<Row> rows =
          reader
              .sql(
                  "SELECT concat(stage_id, '.', stage_attempt_id) FROM foresight.stages WHERE"
                      + " app_id = '"
                      + appId
                      + "'")
              .collectAsList();
      List<String> ids = rows.stream().map(r -> r.getString(0)).sorted().toList();
      assertEquals(completed.stream().sorted().toList(), ids, "every completed stage, once");
      Row jobs =
          reader
              .sql(
                  "SELECT count(*), count(DISTINCT job_id) FROM foresight.jobs WHERE app_id = '"
                      + appId
                      + "'")
              .first();
      assertTrue(jobs.getLong(0) >= 1, "the finished jobs were recovered");
      assertEquals(jobs.getLong(1), jobs.getLong(0), "no job twice");
    } finally {
      reader.stop();
    }
    try (Stream<Path> files = Files.list(Path.of(spool))) {
      assertTrue(files.noneMatch(p -> p.toString().endsWith(".spool")), "recovered spools deleted");
    }
  }
}
