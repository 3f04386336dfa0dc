package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four driver JVMs committing to the same history tables at once lose no row.
 *
 * <p>The drivers are started one after another and released together: a local-mode application id
 * is {@code local-<epoch ms>}, so drivers whose SparkContexts start in the same millisecond share
 * an id, and the history rightly keeps one capture per application attempt (see docs/DESIGN.md).
 */
class ConcurrentDriversTest {
  @TempDir Path root;

  @Test
  void fourDriversCommittingTogetherLoseNothing() throws Exception {
    String history = root.resolve("history").toString();
    Path go = root.resolve("go");
    List<ChildJvm> drivers = new ArrayList<>();
    Set<String> appIds = new HashSet<>();
    try {
      for (int i = 0; i < 4; i++) {
        ChildJvm d =
            ChildJvm.start(
                ChildJvm.moduleClasspath(),
                List.of("-Xmx512m", "-Dforesight.it.goFile=" + go),
                CapturedWorkload.class.getName(),
                List.of(
                    history,
                    root.resolve("spool-" + i).toString(),
                    "4",
                    "0",
                    "spark.foresight.history.commitMinGap=0"));
        drivers.add(d);
        String ready = d.await(l -> l.startsWith("READY "), 120_000);
        assertNotNull(ready, d.output());
        assertTrue(appIds.add(ready.substring(6)), "distinct application ids: " + appIds);
      }
      Files.createFile(go);
      int expectedStages = 0;
      for (ChildJvm d : drivers) {
        assertEquals(0, d.waitFor(300_000), d.output());
        String line = d.linesStartingWith("STAGES ").get(0);
        expectedStages += Integer.parseInt(line.substring(7));
      }
      SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
      try {
        HistoryViews.register(reader, history);
        Row r =
            reader
                .sql(
                    "SELECT count(*), count(DISTINCT app_id, stage_id, stage_attempt_id),"
                        + " count(DISTINCT app_id) FROM foresight.stages")
                .first();
        assertEquals(expectedStages, r.getLong(0), "every stage of every driver");
        assertEquals(r.getLong(0), r.getLong(1), "none twice");
        assertEquals(4L, r.getLong(2));
        assertEquals(
            4L,
            reader
                .sql("SELECT count(*) FROM foresight.apps WHERE status = 'SUCCEEDED'")
                .first()
                .getLong(0));
      } finally {
        reader.stop();
      }
    } finally {
      drivers.forEach(ChildJvm::close);
    }
  }
}
