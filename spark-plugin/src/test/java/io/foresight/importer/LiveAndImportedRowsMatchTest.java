package io.foresight.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryLocation;
import io.foresight.history.HistorySchema;
import io.foresight.history.HistoryStore;
import io.foresight.history.HistoryTable;
import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline: a local[2] application captured live, with a rolling zstd event log, and the same
 * application imported from that log, give the same stage rows: same signatures, equal metrics.
 * Fields only one side has are listed in {@link #SIDE_SPECIFIC}.
 */
class LiveAndImportedRowsMatchTest {
  @TempDir Path root;

  /**
   * Differ by nature: who wrote the row and when; and executor memory peaks, which live capture
   * also takes from executor heartbeats that event logs do not contain (and the heap after
   * collections, which only the plugin's executor side measures).
   */
  static final Set<String> SIDE_SPECIFIC =
      Set.of(
          "ingest_id",
          "source",
          "source_path",
          "recorded_ms",
          "executor_peak_jvm_heap_bytes",
          "executor_peak_off_heap_bytes",
          "executor_peak_rss_bytes",
          "executor_peak_execution_memory_bytes",
          "executor_peak_unified_memory_bytes",
          "executor_peak_heap_after_gc_bytes");

  @Test
  void liveAndImportedStageRowsMatch() throws Exception {
    Path events = Files.createDirectories(root.resolve("events"));
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.plugins", ForesightPlugin.class.getName());
    conf.put("spark.foresight.history.path", root.resolve("live").toString());
    conf.put("spark.foresight.spool.dir", root.resolve("spool").toString());
    conf.put("spark.eventLog.enabled", "true");
    conf.put("spark.eventLog.dir", events.toUri().toString());
    conf.put("spark.eventLog.rolling.enabled", "true");
    conf.put("spark.eventLog.compress", "true");
    conf.put("spark.eventLog.compression.codec", "zstd");
    SparkSession spark = LocalSpark.start(root.resolve("spark"), conf);
    String appId = spark.sparkContext().applicationId();
    try {
      spark
          .range(0, 50_000, 1, 4)
          .selectExpr("id", "id % 100 AS k", "cast(id AS string) AS s")
          .write()
          .parquet(root.resolve("t").toString());
      spark.read().parquet(root.resolve("t").toString()).createOrReplaceTempView("t");
      spark.range(0, 100).selectExpr("id AS k", "id * 2 AS w").createOrReplaceTempView("d");
      spark
          .sql(
              "SELECT d.w, count(*), max(t.s), rank() OVER (ORDER BY d.w) FROM t JOIN d ON t.k ="
                  + " d.k GROUP BY d.w")
          .collectAsList();
    } finally {
      spark.stop();
    }
    Path log;
    try (Stream<Path> s = Files.list(events)) {
      log =
          s.filter(p -> p.getFileName().toString().startsWith("eventlog_v2_"))
              .findFirst()
              .orElseThrow();
    }
    try (Stream<Path> s = Files.list(log)) {
      assertTrue(s.anyMatch(p -> p.toString().endsWith(".zstd")), "a zstd rolling log");
    }
    HistoryStore store =
        HistoryStore.open(
            root.resolve("imported").toString(), root.resolve("spool"), new Configuration(), 20);
    EventLogImporter.Summary summary =
        EventLogImporter.run(List.of(log), store, 1, CorpusImportTest.nowhere(), false);
    assertEquals("imported", summary.results().get(0).status(), summary.toString());
    assertEquals(appId, summary.results().get(0).appId());

    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      Map<String, Row> live = stages(reader, root.resolve("live"));
      Map<String, Row> imported = stages(reader, root.resolve("imported"));
      assertTrue(live.size() >= 5, "several stages: " + live.keySet());
      assertEquals(live.keySet(), imported.keySet());
      List<String> columns = HistorySchema.columnNames(HistoryTable.STAGES);
      for (String key : live.keySet()) {
        Row a = live.get(key);
        Row b = imported.get(key);
        for (String c : columns) {
          if (SIDE_SPECIFIC.contains(c)) {
            continue;
          }
          assertEquals((Object) a.getAs(c), (Object) b.getAs(c), "stage " + key + " column " + c);
        }
        assertEquals("live", a.getAs("source"));
        assertEquals("eventlog", b.getAs("source"));
      }
      // The stage that scans the Parquet table knows the size of the files it selected: what
      // listing the table finds. No other stage scans files.
      long parquetBytes;
      try (Stream<Path> files = Files.list(root.resolve("t"))) {
        parquetBytes =
            files
                .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                .mapToLong(p -> p.toFile().length())
                .sum();
      }
      assertTrue(parquetBytes > 0);
      List<Object> filesRead =
          live.values().stream()
              .map(r -> r.getAs("files_read_bytes"))
              .filter(v -> v != null)
              .toList();
      assertEquals(List.of((Object) parquetBytes), filesRead);
      stagesReadFromStagesThatRan(live);
      operatorsSayWhatEachStageRuns(live);
    } finally {
      reader.stop();
    }
  }

  /**
   * Under adaptive execution each exchange runs as a job of its own, and the stage after it names a
   * skipped stage as its parent. Its producers are the stages that ran and wrote the shuffle it
   * read: every stage that read shuffle data has producers, all of them rows of the table, and what
   * they wrote is what it read. The broadcast join's stage reads no shuffle; its producer is the
   * stage that built the broadcast, which wrote none.
   */
  private static void stagesReadFromStagesThatRan(Map<String, Row> rows) {
    Map<Integer, Row> byId = new HashMap<>();
    rows.values().forEach(r -> byId.put(r.<Integer>getAs("stage_id"), r));
    int skippedParents = 0;
    int readers = 0;
    int broadcastReaders = 0;
    for (Row r : byId.values()) {
      List<Integer> parents = r.getList(r.fieldIndex("parent_stage_ids"));
      List<Integer> producers = r.getList(r.fieldIndex("producer_stage_ids"));
      skippedParents += (int) parents.stream().filter(p -> !byId.containsKey(p)).count();
      assertTrue(byId.keySet().containsAll(producers), "stage " + r + " producers");
      long read = r.<Long>getAs("shuffle_read_bytes");
      long written = 0;
      for (int p : producers) {
        written += byId.get(p).<Long>getAs("shuffle_write_bytes");
      }
      String stage = "stage " + r.getAs("stage_id") + ", producers " + producers;
      assertEquals(read, written, stage + ": it read what they wrote");
      if (read > 0) {
        readers++;
      } else if (!producers.isEmpty()) {
        broadcastReaders++;
        assertTrue(r.<Integer>getAs("join_count") >= 1, stage + " joins the broadcast");
      }
    }
    assertTrue(skippedParents > 0, "some parents were skipped: " + rows.keySet());
    assertTrue(readers >= 2, "stages that read a shuffle: " + readers);
    assertEquals(1, broadcastReaders, "the broadcast join's stage reads the broadcast's builder");
  }

  /**
   * Under adaptive execution most stages are named by a thread pool's call site; their operators
   * say what they run, inputs first: the scan stage starts at the Parquet scan and joins the
   * broadcast, the last stage ends in the window, and the schema-inference job lists its RDD
   * operations.
   */
  private static void operatorsSayWhatEachStageRuns(Map<String, Row> rows) {
    int scans = 0;
    int windows = 0;
    int rddStages = 0;
    for (Row r : rows.values()) {
      List<String> ops = r.getList(r.fieldIndex("operators"));
      String stage = "stage " + r.getAs("stage_id") + " " + r.getAs("name") + " " + ops;
      assertFalse(ops.isEmpty(), stage);
      if (r.getAs("files_read_bytes") != null) {
        scans++;
        assertEquals("Scan parquet", ops.get(0), stage);
        assertTrue(ops.contains("BroadcastHashJoin"), stage);
        assertEquals("Exchange", ops.get(ops.size() - 1), stage + " writes a shuffle");
      }
      if (r.<Integer>getAs("window_count") != null && r.<Integer>getAs("window_count") > 0) {
        windows++;
        assertEquals("Window", ops.get(ops.size() - 1), stage);
        assertEquals("Exchange", ops.get(0), stage + " reads a shuffle");
      }
      if (r.getAs("sql_execution_id") == null) {
        rddStages++;
        assertTrue(ops.stream().noneMatch(o -> o.contains("Exchange")), stage);
      }
    }
    assertEquals(1, scans);
    assertEquals(1, windows);
    assertTrue(rddStages >= 1, "the schema inference's RDD job: " + rows.keySet());
    assertTrue(rows.size() - rddStages >= 4, "SQL stages: " + rows.keySet());
  }

  private static Map<String, Row> stages(SparkSession reader, Path history) {
    String table = HistoryLocation.of(history.toString()).tablePath(HistoryTable.STAGES);
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : reader.sql("SELECT * FROM delta.`" + table + "`").collectAsList()) {
      byKey.put(r.getAs("stage_id") + "." + r.getAs("stage_attempt_id"), r);
    }
    return byKey;
  }
}
