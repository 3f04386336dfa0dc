package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.AppRun;
import io.foresight.forecast.HistoryReader;
import io.foresight.testing.LocalSpark;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizing a run's input paths at start-up, and recording the size with the run. */
class InputListingTest {
  @TempDir static Path root;

  private static Path data(String name) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.write(dir.resolve("part-0.parquet"), new byte[3000]);
    Files.write(dir.resolve(".part-0.parquet.crc"), new byte[40]);
    Files.write(dir.resolve("_SUCCESS"), new byte[0]);
    Path day = Files.createDirectories(dir.resolve("day=1"));
    Files.write(day.resolve("part-1.parquet"), new byte[2000]);
    Path log = Files.createDirectories(dir.resolve("_delta_log"));
    Files.write(log.resolve("00000000000000000000.json"), new byte[700]);
    Path staging = Files.createDirectories(dir.resolve(".spark-staging-1/day=2"));
    Files.write(staging.resolve("part-2.parquet"), new byte[900]);
    return dir;
  }

  @Test
  void listsTheDataFilesOfFoldersFilesAndGlobs() throws Exception {
    Path dir = data("in");
    Configuration conf = new Configuration();
    InputListing.Size all = InputListing.list(List.of(dir.toString()), conf);
    assertEquals(5000, all.bytes());
    assertEquals(2, all.files());
    // one file, a glob, and a file: URI, together
    InputListing.Size some =
        InputListing.list(
            InputListing.split(
                " " + dir.resolve("part-0.parquet") + " , " + dir + "/day=*,,file:" + dir + "/"),
            conf);
    assertEquals(3000 + 2000 + 5000, some.bytes());
    assertEquals(4, some.files());
  }

  @Test
  void aDeltaTableCountsItsLatestVersionsFilesOnly() throws Exception {
    Path table = root.resolve("delta-table");
    long live;
    SparkSession spark = LocalSpark.builder("local[2]", root.resolve("spark")).getOrCreate();
    try {
      spark
          .range(0, 40_000, 1, 4)
          .selectExpr("id", "id % 13 AS k")
          .write()
          .format("delta")
          .save(table.toString());
      // overwritten by a smaller version: the first version's files stay until a VACUUM
      spark
          .range(0, 5_000, 1, 2)
          .selectExpr("id", "id % 13 AS k")
          .write()
          .format("delta")
          .mode("overwrite")
          .save(table.toString());
      live = spark.sql("DESCRIBE DETAIL delta.`" + table + "`").first().getAs("sizeInBytes");
    } finally {
      spark.stop();
    }
    long allParquet;
    try (var files = Files.walk(table)) {
      allParquet =
          files
              .filter(f -> f.getFileName().toString().endsWith(".parquet"))
              .mapToLong(f -> f.toFile().length())
              .sum();
    }
    assertTrue(allParquet > 2 * live, allParquet + " on disk, " + live + " live");
    InputListing.Size size = InputListing.list(List.of(table.toString()), new Configuration());
    assertEquals(live, size.bytes());
    assertEquals(2, size.files());
    assertEquals(1, size.deltaTables());

    // a log Kernel cannot read: the folder is listed instead
    Path broken = Files.createDirectories(root.resolve("broken-delta/_delta_log"));
    Files.writeString(broken.resolve("00000000000000000000.json"), "{not json");
    Files.write(broken.getParent().resolve("part-0.parquet"), new byte[1234]);
    InputListing.Size listed =
        InputListing.list(List.of(broken.getParent().toString()), new Configuration());
    assertEquals(1234, listed.bytes());
    assertEquals(0, listed.deltaTables());
  }

  @Test
  void aPathThatMatchesNothingIsNamed() throws Exception {
    Path dir = data("named");
    Configuration conf = new Configuration();
    FileNotFoundException e =
        assertThrows(
            FileNotFoundException.class,
            () ->
                InputListing.list(List.of(dir.toString(), dir.resolve("day=9*").toString()), conf));
    assertTrue(e.getMessage().contains("day=9*' matches no file or folder"), e.getMessage());
    assertThrows(
        FileNotFoundException.class,
        () -> InputListing.list(List.of(root.resolve("absent").toString()), conf));
  }

  /** A local file system whose globbing hangs, as an unreachable object store's can. */
  public static final class HangingFileSystem extends RawLocalFileSystem {
    @Override
    public FileStatus[] globStatus(org.apache.hadoop.fs.Path pattern) throws IOException {
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException("interrupted");
      }
      return super.globStatus(pattern);
    }
  }

  @Test
  void aListingLongerThanItsTimeIsAbandoned() throws Exception {
    Path dir = data("slow");
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", HangingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    IOException e =
        assertThrows(
            IOException.class, () -> InputListing.listWithin(List.of(dir.toString()), conf, 300));
    assertTrue(e.getMessage().contains("longer than 300 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("spark.foresight.input.listTimeout"), e.getMessage());

    // At start-up that is a warning and a planner error; the volume is then forecast.
    SparkConf spark = new SparkConf(false);
    spark.set("spark.foresight.input.paths", dir.toString());
    spark.set("spark.foresight.input.listTimeout", "200ms");
    long errors = PlanAtStartup.ERRORS.get();
    assertNull(PlanAtStartup.listedInputGib(spark, conf));
    assertEquals(errors + 1, PlanAtStartup.ERRORS.get());
    assertTrue(!spark.contains("spark.foresight.input.bytes"), "nothing recorded");
  }

  @Test
  void theStartUpSizeIsWrittenToTheConfInBytes() throws Exception {
    Path dir = data("conf");
    SparkConf listed = new SparkConf(false).set("spark.foresight.input.paths", dir.toString());
    assertEquals(5000 / AppRun.GIB, PlanAtStartup.listedInputGib(listed, new Configuration()));
    assertEquals("5000", listed.get("spark.foresight.input.bytes"));
    // a size the scheduler gives wins over listing, and is recorded in bytes
    SparkConf given =
        new SparkConf(false)
            .set("spark.foresight.input.paths", root.resolve("absent").toString())
            .set("spark.foresight.input.bytes", "12g");
    assertEquals(12.0, PlanAtStartup.listedInputGib(given, new Configuration()));
    assertEquals(Long.toString(12L << 30), given.get("spark.foresight.input.bytes"));
    assertNull(PlanAtStartup.listedInputGib(new SparkConf(false), new Configuration()));
  }

  @Test
  void theListedSizeIsRecordedWithTheRunAndReadForTraining() throws Exception {
    Path input = root.resolve("events");
    Path history = root.resolve("history");
    SparkSession prep = LocalSpark.builder("local[2]", root.resolve("spark")).getOrCreate();
    try {
      prep.range(0, 50_000, 1, 3).selectExpr("id", "id % 7 AS k").write().parquet(input.toString());
    } finally {
      prep.stop();
    }
    SparkSession.Builder b = LocalSpark.builder("local[2]", root.resolve("spark"));
    Map.of(
            "spark.plugins", ForesightPlugin.class.getName(),
            "spark.foresight.history.path", history.toString(),
            "spark.foresight.spool.dir", root.resolve("spool").toString(),
            "spark.foresight.job.id", "listed-input",
            "spark.foresight.input.paths", input.toString())
        .forEach(b::config);
    SparkSession run = b.getOrCreate();
    String appId;
    try {
      run.read().parquet(input.toString()).groupBy("k").count().collectAsList();
      appId = run.sparkContext().applicationId();
    } finally {
      run.stop();
    }
    long listed = InputListing.list(List.of(input.toString()), new Configuration()).bytes();
    assertTrue(listed > 0);

    SparkSession read = LocalSpark.builder("local[1]", root.resolve("spark")).getOrCreate();
    try {
      List<AppRun> runs = HistoryReader.read(read, history.toString());
      AppRun r = runs.stream().filter(a -> a.appId().equals(appId)).findFirst().orElseThrow();
      assertEquals(listed, r.listedInputBytes());
      // the scan read every file once: its volume is what the listing found
      assertEquals(listed, r.inputBytes());
    } finally {
      read.stop();
    }
  }
}
