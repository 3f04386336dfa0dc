package io.foresight.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryStore;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs in the codecs the shared corpus lacks (lz4 and snappy, with Spark's framing), written by
 * Spark itself, import like the others; a log still in progress imports as incomplete and a later
 * import of the finished log replaces it.
 */
class SparkCodecsAndInProgressTest {
  @TempDir Path root;

  private Path writeLog(String codec) throws Exception {
    Path dir = Files.createDirectories(root.resolve("events-" + codec));
    SparkSession spark =
        LocalSpark.start(
            root.resolve("spark-" + codec),
            Map.of(
                "spark.eventLog.enabled", "true",
                "spark.eventLog.dir", dir.toUri().toString(),
                "spark.eventLog.compress", "true",
                "spark.eventLog.compression.codec", codec,
                "spark.eventLog.rolling.enabled", "false"));
    try {
      spark.range(0, 10_000, 1, 3).selectExpr("id % 5 AS k").groupBy("k").count().collectAsList();
    } finally {
      spark.stop();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith("." + codec))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void lz4AndSnappyLogsImport() throws Exception {
    HistoryStore store =
        HistoryStore.open(
            root.resolve("history").toString(), root.resolve("spool"), new Configuration(), 20);
    List<Path> logs = List.of(writeLog("lz4"), writeLog("snappy"));
    EventLogImporter.Summary s =
        EventLogImporter.run(logs, store, 2, CorpusImportTest.nowhere(), false);
    assertEquals(2, s.results().size());
    for (ImportResult r : s.results()) {
      assertEquals("imported", r.status(), r.toString());
      assertTrue(r.stages() >= 2, r.toString());
      assertTrue(r.tasks() >= 4, "3 map tasks and at least one reduce task: " + r);
      assertEquals(0, r.malformedLines());
    }
  }

  @Test
  void inProgressLogImportsIncompleteThenCompletes() throws Exception {
    Path finished = writeLog("zstd");
    // The same application while it was still running: the plain JSON without its end.
    List<String> lines = new ArrayList<>();
    try (var in = EventLogImporter.openJson(finished)) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.startsWith("{\"Event\":\"SparkListenerApplicationEnd\"")) {
          lines.add(l);
        }
      }
    }
    String name = finished.getFileName().toString().replace(".zstd", "");
    Path running = root.resolve("running").resolve(name + ".inprogress");
    Files.createDirectories(running.getParent());
    Files.writeString(running, String.join("\n", lines.subList(0, lines.size() - 3)) + "\n");

    HistoryStore store =
        HistoryStore.open(
            root.resolve("history2").toString(), root.resolve("spool"), new Configuration(), 20);
    ImportResult first =
        EventLogImporter.run(List.of(running), store, 1, CorpusImportTest.nowhere(), false)
            .results()
            .get(0);
    assertEquals("incomplete", first.status(), first.toString());
    ImportResult second =
        EventLogImporter.run(List.of(finished), store, 1, CorpusImportTest.nowhere(), false)
            .results()
            .get(0);
    assertEquals("imported", second.status());
    assertEquals(first.appId(), second.appId());

    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, store.location().root());
      List<Row> apps = reader.sql("SELECT status, source_path FROM foresight.apps").collectAsList();
      assertEquals(1, apps.size(), apps.toString());
      assertEquals("SUCCEEDED", apps.get(0).getString(0));
      assertEquals(finished.toString(), apps.get(0).getString(1));
      assertEquals(
          (long) second.stages(),
          reader.sql("SELECT count(*) FROM foresight.stages").first().getLong(0));
    } finally {
      reader.stop();
    }
  }
}
