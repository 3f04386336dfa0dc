package io.foresight.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.foresight.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History folders with characters a URI encodes (a home folder such as {@code /Users/Jane Doe}):
 * Kernel, delta-spark and the local file system must all mean the same folder.
 */
class HistoryPathsTest {
  @TempDir Path root;

  @Test
  void aLocalFolderIsAnUnencodedFileUri() {
    assertEquals("file:///tmp/Jane Doe/h", HistoryLocation.of("/tmp/Jane Doe/h/").root());
    assertEquals("file:///tmp/100%/h", HistoryLocation.of("/tmp/100%/h").root());
    assertEquals("file://" + Path.of("rel").toAbsolutePath(), HistoryLocation.of("rel").root());
    assertEquals(
        "file://" + System.getProperty("user.home") + "/.foresight/history",
        HistoryLocation.of("~/.foresight/history").root());
    assertEquals(
        "hdfs://nn:8020/foresight", HistoryLocation.of("hdfs://nn:8020/foresight/").root());
    assertEquals("s3a://bucket/h x", HistoryLocation.of("s3a://bucket/h x").root());
  }

  @Test
  void theLocalFolderOfAPath() {
    assertEquals(Path.of("/tmp/Jane Doe/h"), HistoryLocation.of("/tmp/Jane Doe/h").localFolder());
    assertEquals(Path.of("/x y"), HistoryLocation.localPath("file:/x y"));
    assertEquals(Path.of("/x y"), HistoryLocation.localPath("file://localhost/x y"));
    assertEquals(Path.of("/x"), HistoryLocation.localPath("/x"));
    assertNull(HistoryLocation.of("s3a://bucket/h").localFolder());
    assertEquals("delta.`/a ``b``/t`", HistoryLocation.sqlTable("/a `b`/t"));
  }

  @Test
  void tablesUnderAFolderWithASpaceAndABacktickStayInIt() throws Exception {
    Path folder = root.resolve("Jane Doe's `history`");
    HistoryStore store =
        HistoryStore.open(folder.toString(), root.resolve("spool"), new Configuration(), 5);
    try (SpoolWriter spool = store.newSpool()) {
      for (int i = 0; i < 3; i++) {
        spool.append(io.foresight.testing.HistoryRecords.job("app", i));
        spool.seal();
        store.commitSealed(spool);
      }
    }
    try (Stream<Path> siblings = Files.list(root)) {
      assertEquals(
          List.of("Jane Doe's `history`", "spool"),
          siblings.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing written beside the history (no 'Jane%20Doe...' folder)");
    }
    try (Stream<Path> files = Files.list(folder.resolve("jobs"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith(".parquet")).count());
    }
    SparkSession spark = LocalSpark.start(root.resolve("spark"), Map.of());
    try {
      HistoryViews.register(spark, folder.toString());
      assertEquals(
          3L,
          spark
              .sql("SELECT count(DISTINCT job_id) FROM foresight.jobs WHERE input_bytes = 42")
              .first()
              .getLong(0));
    } finally {
      spark.stop();
    }
  }
}
