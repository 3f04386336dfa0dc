package io.foresight.history;

import static io.foresight.testing.HistoryRecords.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolRecoveryTest {
  @TempDir static Path scratch;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start(scratch.resolve("spark"), Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static HistoryStore store(Path root) {
    return HistoryStore.open(
        root.resolve("history").toString(), root.resolve("spool"), new Configuration(), 10);
  }

  private static List<Row> jobs(Path root, String app) {
    HistoryViews.register(spark, root.resolve("history").toString());
    return spark
        .sql(
            "SELECT job_id, stage_ids FROM foresight.jobs WHERE app_id = '"
                + app
                + "' ORDER BY job_id")
        .collectAsList();
  }

  @Test
  void sealedSegmentsAreCommittedOnceAndReadBackWithSpark() throws Exception {
    Path root = scratch.resolve("sealed");
    HistoryStore store = store(root);
    try (SpoolWriter spool = store.newSpool()) {
      spool.append(job("a", 1));
      spool.append(job("a", 2));
      spool.seal();
      assertEquals(2, store.commitSealed(spool).rows());
      assertEquals(0, store.commitSealed(spool).rows(), "a second pass finds nothing new");
      spool.append(job("a", 3));
      spool.seal();
      assertEquals(1, store.commitSealed(spool).rows());
      store.discard(spool);
    }
    List<Row> rows = jobs(root, "a");
    assertEquals(3, rows.size());
    assertEquals(List.of(6, 7), rows.get(2).getList(1));
    assertTrue(Files.list(root.resolve("spool")).findAny().isEmpty(), "spool files deleted");
  }

  @Test
  void deadSessionRowsAreRecoveredExactlyOnceIncludingATornLastLine() throws Exception {
    Path root = scratch.resolve("dead");
    HistoryStore store = store(root);
    SpoolWriter spool = store.newSpool();
    spool.append(job("b", 1));
    spool.seal();
    store.commitSealed(spool);
    spool.append(job("b", 2)); // sealed and committed, but progress lost below
    spool.seal();
    store.commitSealed(spool);
    spool.append(job("b", 3)); // never sealed
    spool.flushToOs();
    spool.close(); // the JVM "dies": lock released, files left behind
    Path spoolFile = spool.file();
    Files.delete(spoolFile.resolveSibling(spool.spoolId() + ".done"));
    Files.writeString(spoolFile, "jobs\t{\"schema_version\":1,\"app_", StandardOpenOption.APPEND);

    HistoryStore next = store(root);
    HistoryStore.CommitReport report = next.recoverOrphans();
    assertEquals(1, report.rows(), "only job 3 was new");
    assertEquals(2, report.skippedAsCommitted(), "segments 1 and 2 were already in the table");
    assertEquals(0, next.recoverOrphans().rows());
    List<Row> rows = jobs(root, "b");
    assertEquals(List.of(1, 2, 3), rows.stream().map(r -> r.getInt(0)).toList());
  }

  @Test
  void aSpoolIsRecoveredOnlyIntoTheHistoryItWasWrittenFor() throws Exception {
    // Two histories share one spool folder (the default ~/.foresight/spool does that for every
    // application and import); a session of each dies with rows in its spool.
    Path root = scratch.resolve("two-histories");
    Path spoolDir = root.resolve("spool");
    HistoryStore mine =
        HistoryStore.open(root.resolve("mine").toString(), spoolDir, new Configuration(), 10);
    HistoryStore theirs =
        HistoryStore.open(root.resolve("theirs").toString(), spoolDir, new Configuration(), 10);
    SpoolWriter a = mine.newSpool();
    a.append(job("e", 1));
    a.flushToOs();
    a.close();
    SpoolWriter b = theirs.newSpool();
    b.append(job("e", 2));
    b.append(job("e", 3));
    b.flushToOs();
    b.close();

    // the same history given another way (a file: URI with a trailing slash) is the same history
    HistoryStore mineAgain =
        HistoryStore.open(
            root.resolve("mine").toUri().toString(), spoolDir, new Configuration(), 10);
    assertEquals(1, mineAgain.recoverOrphans().rows(), "only its own spool");
    assertTrue(Files.exists(b.file()), "the other history's spool waits for it");
    assertEquals(0, mineAgain.recoverOrphans().rows(), "and is not taken by a second pass");
    HistoryStore theirsAgain =
        HistoryStore.open(root.resolve("theirs").toString(), spoolDir, new Configuration(), 10);
    assertEquals(2, theirsAgain.recoverOrphans().rows());
    assertTrue(Files.list(spoolDir).findAny().isEmpty(), "both spools recovered and deleted");
    assertEquals(List.of(1), jobIds(root.resolve("mine"), "e"));
    assertEquals(List.of(2, 3), jobIds(root.resolve("theirs"), "e"));
  }

  @Test
  void aSpoolCutWithinItsFirstLineHoldsNothingAndIsTidied() throws Exception {
    // killed while the first line reached the disk: no history named, no record complete
    Path root = scratch.resolve("torn-header");
    Path spoolDir = root.resolve("spool");
    Files.createDirectories(spoolDir);
    Files.writeString(spoolDir.resolve("1-torn.spool"), "#history\tfile:///some/wh");
    assertEquals(0, store(root).recoverOrphans().rows());
    assertTrue(Files.list(spoolDir).findAny().isEmpty(), "nothing left behind");
  }

  private static List<Integer> jobIds(Path history, String app) {
    HistoryViews.register(spark, history.toString());
    return spark
        .sql("SELECT job_id FROM foresight.jobs WHERE app_id = '" + app + "' ORDER BY job_id")
        .collectAsList()
        .stream()
        .map(r -> r.getInt(0))
        .toList();
  }

  @Test
  void liveSpoolsOfThisJvmAreNotRecovered() throws Exception {
    Path root = scratch.resolve("live");
    HistoryStore store = store(root);
    try (SpoolWriter spool = store.newSpool()) {
      spool.append(job("c", 1));
      spool.seal();
      assertEquals(0, store(root).recoverOrphans().segments());
      assertEquals(1, store.commitSealed(spool).rows());
    }
  }

  @Test
  void concurrentWritersLoseNoRow() throws Exception {
    Path root = scratch.resolve("concurrent");
    int writers = 4;
    int commits = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<Integer>> results = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      results.add(
          pool.submit(
              () -> {
                HistoryStore store = store(root);
                int rows = 0;
                try (SpoolWriter spool = store.newSpool()) {
                  for (int c = 0; c < commits; c++) {
                    spool.append(job("w", writer * 1000 + c));
                    spool.seal();
                    rows += store.commitSealed(spool).rows();
                  }
                }
                return rows;
              }));
    }
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get();
    }
    pool.shutdown();
    assertEquals(writers * commits, total);
    assertEquals(writers * commits, jobs(root, "w").size());
  }

  @Test
  void malformedSpoolLinesAreSkipped() throws Exception {
    Path root = scratch.resolve("malformed");
    HistoryStore store = store(root);
    SpoolWriter spool = store.newSpool();
    spool.append(job("d", 1));
    spool.flushToOs();
    spool.close();
    Files.writeString(
        spool.file(),
        "no tab here\nnosuchtable\t{}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    assertEquals(1, store(root).recoverOrphans().rows());
    assertEquals(1, jobs(root, "d").size());
  }
}
