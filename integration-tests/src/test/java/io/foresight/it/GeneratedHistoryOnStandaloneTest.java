package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.examples.EmbeddedCluster;
import io.foresight.examples.GenerateHistory;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate-history --cluster}: each generated run is its own application on a standalone
 * cluster, with one executor JVM of the stated shape, and the stages' heap peaks are that
 * executor's.
 */
class GeneratedHistoryOnStandaloneTest {
  @TempDir Path root;

  @Test
  void eachRunHasItsOwnExecutorJvmAndItsHeapPeaks() throws Exception {
    String history = root.resolve("history").toString();
    try (EmbeddedCluster cluster =
        EmbeddedCluster.start(root, 2, "2g", ChildJvm.moduleClasspath())) {
      GenerateHistory.run(
          history,
          root.resolve("work"),
          2,
          0.01,
          0.02,
          4,
          7,
          Instant.parse("2026-11-02T00:00:00Z"),
          0,
          1,
          new GenerateHistory.Cluster(cluster.url(), ""));
    }
    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, history);
      List<Row> apps =
          reader
              .sql(
                  "SELECT app_id, master, conf['spark.foresight.job.scheduledTime']"
                      + " FROM foresight.apps WHERE job_key = 'hourly-revenue-etl' ORDER BY 3")
              .collectAsList();
      assertEquals(2, apps.size(), apps.toString());
      assertEquals("2026-11-02T00:00:00Z", apps.get(0).getString(2));
      assertEquals("2026-11-02T04:00:00Z", apps.get(1).getString(2));
      for (Row app : apps) {
        String id = app.getString(0);
        assertTrue(app.getString(1).startsWith("spark://127.0.0.1:"), app.toString());
        List<Row> executors =
            reader
                .sql(
                    "SELECT executor_id, cores, memory_bytes FROM foresight.executors"
                        + " WHERE app_id = '"
                        + id
                        + "' AND executor_id <> 'driver'")
                .collectAsList();
        assertEquals(1, executors.size(), executors.toString());
        // --cores 1: one task slot, not the default 2.
        assertEquals(1, executors.get(0).getInt(1));
        assertEquals(1L << 30, executors.get(0).getLong(2));
        Row stages =
            reader
                .sql(
                    "SELECT count(*), count(executor_peak_jvm_heap_bytes),"
                        + " min(profile_executor_cores), max(profile_executor_cores),"
                        + " min(profile_executor_memory_bytes), max(profile_executor_memory_bytes),"
                        + " count(executor_peak_unified_memory_bytes),"
                        + " max(executor_peak_unified_memory_bytes),"
                        + " max(executor_peak_execution_memory_bytes)"
                        + " FROM foresight.stages WHERE app_id = '"
                        + id
                        + "'")
                .first();
        assertTrue(stages.getLong(0) >= 5, "stages of " + id + ": " + stages);
        assertTrue(stages.getLong(1) > 0, "no stage of " + id + " has a heap peak: " + stages);
        // Every stage ran on executors of the generated shape.
        assertEquals(1, stages.getInt(2), stages.toString());
        assertEquals(1, stages.getInt(3), stages.toString());
        assertEquals(1L << 30, stages.getLong(4), stages.toString());
        assertEquals(1L << 30, stages.getLong(5), stages.toString());
        // The memory manager's grants: the aggregations and sorts took execution memory, within
        // the unified region of a 1 GiB executor, (1024 - 300) MiB x 0.6. (Spark samples the two
        // apart: the capture keeps the region's peak at least the execution peak, PeaksTest.)
        assertTrue(stages.getLong(6) > 0, "no unified memory peak: " + stages);
        long region = (long) ((1024 - 300) * 0.6 * (1 << 20));
        assertTrue(stages.getLong(7) > 0 && stages.getLong(7) <= region, "unified peak: " + stages);
        assertTrue(
            stages.getLong(8) > 0 && stages.getLong(8) <= stages.getLong(7),
            "execution memory peak within the unified one: " + stages);
      }
    } finally {
      reader.stop();
    }
  }
}
