package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.examples.EmbeddedCluster;
import io.foresight.history.HistoryViews;
import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real standalone cluster (separate executor JVMs), the executors table and the per-stage
 * executor memory peaks are filled.
 */
class StandaloneExecutorsTest {
  @TempDir Path root;

  @Test
  void executorsAndExecutorPeaksAreRecorded() throws Exception {
    String appId;
    try (EmbeddedCluster cluster =
        EmbeddedCluster.start(root, 2, "2g", ChildJvm.moduleClasspath())) {
      SparkSession spark =
          LocalSpark.builder(cluster.url(), root.resolve("driver"))
              .config("spark.executor.memory", "512m")
              .config("spark.executor.cores", "1")
              .config("spark.cores.max", "2")
              .config("spark.plugins", ForesightPlugin.class.getName())
              .config("spark.foresight.capture.processTreeMetrics", "true")
              .config("spark.foresight.history.path", root.resolve("history").toString())
              .config("spark.foresight.spool.dir", root.resolve("spool").toString())
              .getOrCreate();
      try {
        appId = spark.sparkContext().applicationId();
        long groups =
            spark
                .range(0, 3_000_000, 1, 8)
                .selectExpr("id % 3 AS k", "sha2(cast(id AS string), 256) AS s")
                .groupBy("k")
                .agg(org.apache.spark.sql.functions.max("s")) // keeps the sleep from being pruned
                .count();
        assertEquals(3, groups);
      } finally {
        spark.stop();
      }
    }
    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, root.resolve("history").toString());
      List<Row> executors =
          reader
              .sql("SELECT * FROM foresight.executors WHERE app_id = '" + appId + "'")
              .collectAsList();
      assertEquals(2, executors.size(), executors.toString());
      for (Row e : executors) {
        assertEquals(1, (int) e.getAs("cores"));
        assertEquals(512L << 20, (long) e.getAs("memory_bytes"));
        assertEquals("127.0.0.1", e.getAs("host"));
        assertEquals(0, (int) e.getAs("resource_profile_id"));
        assertNotNull(e.getAs("added_ms"));
      }
      Row app = reader.sql("SELECT * FROM foresight.apps WHERE app_id = '" + appId + "'").first();
      assertEquals(2, (int) app.getAs("max_concurrent_executors"));
      double coreSeconds = app.getAs("executor_core_seconds");
      assertTrue(coreSeconds > 1.0, app.toString());
      assertEquals(
          coreSeconds * (512L << 20), (double) app.getAs("executor_memory_byte_seconds"), 1e6);
      assertTrue(((String) app.getAs("master")).startsWith("spark://127.0.0.1:"));

      Row sleepy =
          reader
              .sql(
                  "SELECT * FROM foresight.stages WHERE app_id = '"
                      + appId
                      + "' ORDER BY executor_run_time_ms DESC")
              .first();
      assertTrue((long) sleepy.getAs("executor_run_time_ms") > 0, sleepy.toString());
      assertEquals(8, (int) sleepy.getAs("num_tasks"));
      Long heap = sleepy.getAs("executor_peak_jvm_heap_bytes");
      assertNotNull(heap, "executor heap peak of the long stage: " + sleepy);
      assertTrue(heap > (1L << 20) && heap <= (512L << 20) * 2, "plausible heap: " + heap);
      assertNotNull(sleepy.getAs("executor_peak_off_heap_bytes"));
      Long rss = sleepy.getAs("executor_peak_rss_bytes");
      assertNotNull(rss, "process-tree RSS on Linux");
      assertTrue(rss > heap / 4, "RSS " + rss + " vs heap " + heap);
      // The plugin's executor side: 3 million hashed strings leave garbage enough for collections
      // during the stage, and what they leave is within the executor's heap.
      Long afterGc = sleepy.getAs("executor_peak_heap_after_gc_bytes");
      assertNotNull(afterGc, "heap after a collection on a separate executor JVM: " + sleepy);
      assertTrue(afterGc > 0 && afterGc <= 512L << 20, "heap after collection " + afterGc);
      assertEquals(1, (int) sleepy.getAs("profile_executor_cores"));
      assertEquals(512L << 20, (long) sleepy.getAs("profile_executor_memory_bytes"));
    } finally {
      reader.stop();
    }
  }
}
