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
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
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

  /**
   * Live sizes of the tables {@link #tables()} writes under {@code lake/}, as their readers see.
   */
  private static long ordersLive;

  private static long eventsLive;
  private static long eventsDayLive;
  private static long eventsEuLive;
  private static long iceLive;

  /**
   * Under {@code lake/}: a Delta table overwritten by a smaller version ({@code orders}), a Delta
   * table partitioned by day and region with one day replaced ({@code events}), an Iceberg table
   * with a file deleted ({@code ice}), and a plain file. Each folder holds files its table's
   * current version no longer reads.
   */
  @BeforeAll
  static void tables() throws Exception {
    Path lake = Files.createDirectories(root.resolve("lake"));
    SparkSession spark = LocalSpark.builder("local[2]", root.resolve("spark")).getOrCreate();
    try {
      String orders = lake.resolve("orders").toString();
      spark
          .range(0, 40_000, 1, 4)
          .selectExpr("id", "id % 13 AS k")
          .write()
          .format("delta")
          .save(orders);
      spark
          .range(0, 5_000, 1, 2)
          .selectExpr("id", "id % 13 AS k")
          .write()
          .format("delta")
          .mode("overwrite")
          .save(orders);
      ordersLive = spark.sql("DESCRIBE DETAIL delta.`" + orders + "`").first().getAs("sizeInBytes");

      String events = lake.resolve("events").toString();
      String[] rows = {
        "id",
        "IF(id % 2 = 0, '2026-12-04', '2026-12-05') AS day",
        "IF(id % 3 = 0, 'eu:west 1', 'us') AS region"
      };
      spark
          .range(0, 30_000, 1, 3)
          .selectExpr(rows)
          .write()
          .format("delta")
          .partitionBy("day", "region")
          .save(events);
      // the day is replaced by a smaller one: its folders keep the files it had
      spark
          .range(0, 3_000, 1, 1)
          .selectExpr(rows)
          .where("day = '2026-12-05'")
          .write()
          .format("delta")
          .mode("overwrite")
          .option("replaceWhere", "day = '2026-12-05'")
          .save(events);
      var table = spark.read().format("delta").load(events);
      eventsLive = sizeOf(table.inputFiles());
      eventsDayLive = sizeOf(table.where("day = '2026-12-05'").inputFiles());
      eventsEuLive = sizeOf(table.where("region = 'eu:west 1'").inputFiles());
    } finally {
      spark.stop();
    }
    iceLive = icebergTable(lake.resolve("ice"));
    Files.write(lake.resolve("notes.parquet"), new byte[100]);
  }

  /** The size of the files a scan reads ({@code Dataset.inputFiles}: Hadoop paths). */
  private static long sizeOf(String[] paths) {
    long bytes = 0;
    for (String p : paths) {
      bytes += new java.io.File(new org.apache.hadoop.fs.Path(p).toUri().getPath()).length();
    }
    return bytes;
  }

  /**
   * A real Iceberg table (Iceberg's Hadoop tables: {@code v<N>.metadata.json} and a version hint)
   * of three data files in two commits, one of them deleted in a third; the files are there, of the
   * sizes the table records. Returns what a scan of its current snapshot reads, as Iceberg plans
   * it.
   */
  private static long icebergTable(Path location) throws IOException {
    Table table = dailyIcebergTable(location, 2);
    DataFile[] files = new DataFile[3];
    for (int i = 0; i < 3; i++) {
      files[i] = dayFile(table, i, "f" + i + ".parquet", 1000 * (i + 1));
    }
    table.newAppend().appendFile(files[0]).appendFile(files[1]).commit();
    table.newAppend().appendFile(files[2]).commit();
    table.newDelete().deleteFile(files[1].location()).commit();
    long bytes = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        bytes += t.file().fileSizeInBytes();
      }
    }
    return bytes;
  }

  /** An Iceberg table (Hadoop tables) of the given format version, partitioned by {@code day}. */
  private static Table dailyIcebergTable(Path location, int formatVersion) {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "day", Types.StringType.get()));
    PartitionSpec spec = PartitionSpec.builderFor(schema).identity("day").build();
    return new HadoopTables(new Configuration())
        .create(
            schema,
            spec,
            Map.of("format-version", Integer.toString(formatVersion)),
            location.toString());
  }

  /** A file of {@code bytes} bytes in day {@code day}'s folder of {@code table}, not yet added. */
  private static DataFile dayFile(Table table, int day, String name, int bytes) throws IOException {
    Path dir = Files.createDirectories(Path.of(table.location()).resolve("data/day=" + day));
    Path file = Files.write(dir.resolve(name), new byte[bytes]);
    return DataFiles.builder(table.spec())
        .withPath(file.toString())
        .withFileSizeInBytes(bytes)
        .withRecordCount(100)
        .withPartitionPath("day=" + day)
        .withFormat(FileFormat.PARQUET)
        .build();
  }

  private static long onDisk(Path dir, String suffix) throws IOException {
    try (var files = Files.walk(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  @Test
  void aDeltaTableCountsItsLatestVersionsFilesOnly() throws Exception {
    Path table = root.resolve("lake/orders");
    long allParquet = onDisk(table, ".parquet");
    assertTrue(allParquet > 2 * ordersLive, allParquet + " on disk, " + ordersLive + " live");
    InputListing.Size size = InputListing.list(List.of(table.toString()), new Configuration());
    assertEquals(ordersLive, size.bytes());
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
  void aPartitionOfADeltaTableCountsTheLatestFilesBelowIt() throws Exception {
    Path table = root.resolve("lake/events");
    Path day = table.resolve("day=2026-12-05");
    assertTrue(onDisk(day, ".parquet") > 2 * eventsDayLive, "the replaced files are still there");
    Configuration conf = new Configuration();
    InputListing.Size one = InputListing.list(List.of(day.toString()), conf);
    assertEquals(eventsDayLive, one.bytes());
    assertEquals(1, one.deltaTables());
    // a glob over a second level of partitions, whose value Spark escaped in the folder's name
    // (':' as %3A) and the log once more as a URI
    InputListing.Size eu = InputListing.list(List.of(table + "/day=*/region=eu*"), conf);
    assertTrue(eventsEuLive > 0);
    assertEquals(eventsEuLive, eu.bytes());
    // all partitions: the table's latest version, its log read once
    InputListing.Size all = InputListing.list(List.of(table + "/day=*"), conf);
    assertEquals(eventsLive, all.bytes());
    assertEquals(1, all.deltaTables());

    // partition folders of a plain Parquet dataset are listed
    Path plain = Files.createDirectories(root.resolve("plain/day=1"));
    Files.write(plain.resolve("part-0.parquet"), new byte[777]);
    assertEquals(777, InputListing.list(List.of(plain.toString()), conf).bytes());
    // and so are those of a Delta table whose log cannot be read
    Path broken = Files.createDirectories(root.resolve("broken-events/_delta_log"));
    Files.writeString(broken.resolve("00000000000000000000.json"), "{not json");
    Path brokenDay = Files.createDirectories(broken.resolveSibling("day=1"));
    Files.write(brokenDay.resolve("part-0.parquet"), new byte[555]);
    InputListing.Size listed = InputListing.list(List.of(brokenDay.toString()), conf);
    assertEquals(555, listed.bytes());
    assertEquals(0, listed.deltaTables());
  }

  @Test
  void anIcebergTableCountsItsCurrentSnapshotsFiles() throws Exception {
    Path table = root.resolve("lake/ice");
    assertEquals(1000 + 3000, iceLive, "the first and third files");
    assertEquals(6000, onDisk(table.resolve("data"), ".parquet"));
    Configuration conf = new Configuration();
    InputListing.Size size = InputListing.list(List.of(table.toString()), conf);
    assertEquals(iceLive, size.bytes());
    assertEquals(2, size.files());
    assertEquals(1, size.icebergTables());

    // A catalog's table: metadata files named <version>-<uuid>.metadata.json, no version hint.
    Path catalog = Files.createDirectories(root.resolve("catalog-ice/metadata"));
    try (var files = Files.list(table.resolve("metadata"))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("v(\\d+)\\.metadata\\.json").matcher(name);
        if (m.matches()) {
          String version = String.format("%05d", Integer.parseInt(m.group(1)) - 1);
          Files.copy(f, catalog.resolve(version + "-0a1b2c3d-4e5f.metadata.json"));
        } else if (!name.equals("version-hint.text") && !name.startsWith(".")) {
          Files.copy(f, catalog.resolve(name));
        }
      }
    }
    Files.write(catalog.resolveSibling("data-file.parquet"), new byte[9999]);
    assertEquals(iceLive, InputListing.list(List.of(catalog.getParent().toString()), conf).bytes());

    // metadata that cannot be read: the folder is listed, metadata files and all
    Path broken = Files.createDirectories(root.resolve("broken-ice/metadata"));
    Files.writeString(
        broken.resolve("v1.metadata.json"), "{\"format-version\": 2, \"current-snapshot-id\": 7}");
    Files.write(broken.resolveSibling("f.parquet"), new byte[321]);
    InputListing.Size listed = InputListing.list(List.of(broken.getParent().toString()), conf);
    assertEquals(321 + Files.size(broken.resolve("v1.metadata.json")), listed.bytes());
    assertEquals(0, listed.icebergTables());
    IOException why =
        assertThrows(
            IOException.class,
            () ->
                IcebergTableFiles.current(
                    org.apache.hadoop.fs.FileSystem.getLocal(conf),
                    new org.apache.hadoop.fs.Path(broken.getParent().toString()),
                    List.of("v1.metadata.json")));
    assertTrue(why.getMessage().contains("has no snapshot 7, its current one"), why.getMessage());
  }

  @Test
  void aFolderOfAnIcebergTableCountsItsCurrentFilesBelowIt() throws Exception {
    Path table = root.resolve("lake/ice");
    Configuration conf = new Configuration();
    // day=1's one file was deleted from the table by its third commit, and is still on disk
    assertEquals(2000, onDisk(table.resolve("data/day=1"), ".parquet"));
    for (int day = 0; day < 3; day++) {
      InputListing.Size size =
          InputListing.list(List.of(table.resolve("data/day=" + day).toString()), conf);
      assertEquals(icebergScan(table, Integer.toString(day)), size.bytes(), "day=" + day);
      assertEquals(day == 1 ? 0 : 1, size.files(), "day=" + day);
      assertEquals(1, size.icebergTables());
    }
    // a glob of partitions reads the manifests once for all; the data folder is all of them
    InputListing.Size days = InputListing.list(List.of(table + "/data/day=*"), conf);
    assertEquals(iceLive, days.bytes());
    assertEquals(2, days.files());
    assertEquals(1, days.icebergTables());
    assertEquals(
        iceLive, InputListing.list(List.of(table.resolve("data").toString()), conf).bytes());

    // a table whose manifest list is gone: its folder is listed as files
    Path copy = root.resolve("ice-no-manifests");
    io.foresight.testing.TestFiles.copyTree(table, copy);
    try (var files = Files.list(copy.resolve("metadata"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".metadata.json")).toList()) {
        Files.writeString(
            f,
            Files.readString(f)
                .replaceAll(
                    "\"manifest-list\"\\s*:\\s*\"[^\"]*\"", "\"manifest-list\":\"/gone.avro\""));
        Files.delete(f.resolveSibling("." + f.getFileName() + ".crc")); // Hadoop's checksum
      }
    }
    InputListing.Size listed =
        InputListing.list(List.of(copy.resolve("data/day=1").toString()), conf);
    assertEquals(2000, listed.bytes(), "the deleted file, on disk");
    assertEquals(0, listed.icebergTables());
    IOException why =
        assertThrows(
            IOException.class,
            () ->
                IcebergTableFiles.currentSelected(
                    org.apache.hadoop.fs.FileSystem.getLocal(conf),
                    new org.apache.hadoop.fs.Path(copy.toString()),
                    names(copy.resolve("metadata")),
                    f -> true));
    assertTrue(
        why.getMessage().contains("cannot read the Iceberg manifest /gone.avro"), why.getMessage());
  }

  @Test
  void aDeletionVectorCountsWithTheDataFileItAppliesTo() throws Exception {
    // A format v3 table: rows deleted from two of its three files by deletion vectors, both in one
    // Puffin file in data/, outside the partition folders
    Path location = root.resolve("ice-v3");
    Table table = dailyIcebergTable(location, 3);
    List<DataFile> files = new java.util.ArrayList<>();
    for (int day = 0; day < 3; day++) {
      files.add(dayFile(table, day, "f.parquet", 1000 * (day + 1)));
    }
    org.apache.iceberg.AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();
    var dvs =
        new org.apache.iceberg.deletes.BaseDVFileWriter(
            org.apache.iceberg.io.OutputFileFactory.builderFor(table, 1, 1)
                .format(FileFormat.PUFFIN)
                .build(),
            path -> null);
    try (dvs) {
      for (long row = 0; row < 40; row += 3) {
        dvs.delete(files.get(0).location(), row, table.spec(), files.get(0).partition());
      }
      dvs.delete(files.get(2).location(), 7, table.spec(), files.get(2).partition());
    }
    org.apache.iceberg.RowDelta delta = table.newRowDelta();
    dvs.result().deleteFiles().forEach(delta::addDeletes);
    delta.commit();
    assertEquals(2, dvs.result().deleteFiles().size());
    try (var walk = Files.walk(location.resolve("data"))) {
      assertEquals(1, walk.filter(f -> f.toString().endsWith(".puffin")).count());
    }

    Configuration conf = new Configuration();
    long whole = 0;
    for (int day = 0; day < 3; day++) {
      long scan = icebergScan(location, Integer.toString(day));
      InputListing.Size size =
          InputListing.list(List.of(location.resolve("data/day=" + day).toString()), conf);
      assertEquals(scan, size.bytes(), "day=" + day);
      assertEquals(day == 1 ? 1 : 2, size.files(), "day=" + day + ": its file and its vector");
      whole += scan;
    }
    assertTrue(whole > 6000, "the vectors add to what is read: " + whole);
    // the data folder and the whole table: each vector once, not its Puffin file once per vector
    assertEquals(
        whole, InputListing.list(List.of(location.resolve("data").toString()), conf).bytes());
    assertEquals(whole, InputListing.list(List.of(location.toString()), conf).bytes());
  }

  /**
   * What Iceberg plans to read of the table at {@code location} for one day: its files and the
   * deletes that apply to them.
   */
  private static long icebergScan(Path location, String day) throws IOException {
    Table table = new HadoopTables(new Configuration()).load(location.toString());
    long bytes = 0;
    try (CloseableIterable<FileScanTask> tasks =
        table
            .newScan()
            .filter(org.apache.iceberg.expressions.Expressions.equal("day", day))
            .planFiles()) {
      for (FileScanTask t : tasks) {
        bytes += t.sizeBytes();
      }
    }
    return bytes;
  }

  private static List<String> names(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  @Test
  void tablesBelowAListedFolderCountTheirCurrentVersions() throws Exception {
    Path lake = root.resolve("lake");
    InputListing.Size size = InputListing.list(List.of(lake.toString()), new Configuration());
    assertEquals(ordersLive + eventsLive + iceLive + 100, size.bytes());
    assertEquals(2, size.deltaTables());
    assertEquals(1, size.icebergTables());
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
    // planned (the default mode): listed before the plan; off: listed beside the run, recorded only
    Map<String, String> apps = new java.util.HashMap<>();
    for (String mode : List.of("apply", "off")) {
      SparkSession.Builder b = LocalSpark.builder("local[2]", root.resolve("spark"));
      Map.of(
              "spark.plugins", ForesightPlugin.class.getName(),
              "spark.foresight.history.path", history.toString(),
              "spark.foresight.spool.dir", root.resolve("spool").toString(),
              "spark.foresight.job.id", "listed-input",
              "spark.foresight.planner.mode", mode,
              "spark.foresight.input.paths", input.toString())
          .forEach(b::config);
      SparkSession run = b.getOrCreate();
      try {
        run.read().parquet(input.toString()).groupBy("k").count().collectAsList();
        apps.put(mode, run.sparkContext().applicationId());
      } finally {
        run.stop();
      }
    }
    long listed = InputListing.list(List.of(input.toString()), new Configuration()).bytes();
    assertTrue(listed > 0);

    SparkSession read = LocalSpark.builder("local[1]", root.resolve("spark")).getOrCreate();
    try {
      List<AppRun> runs = HistoryReader.read(read, history.toString());
      assertEquals(2, runs.size(), runs.toString());
      for (Map.Entry<String, String> app : apps.entrySet()) {
        AppRun r = runs.stream().filter(a -> a.appId().equals(app.getValue())).findFirst().get();
        assertEquals(listed, r.listedInputBytes(), app.getKey());
        // the scan read every file once: its volume is what the listing found
        assertEquals(listed, r.inputBytes(), app.getKey());
      }
    } finally {
      read.stop();
    }
  }
}
