package io.foresight.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryLocation;
import io.foresight.history.HistoryStore;
import io.foresight.history.HistoryTable;
import io.foresight.history.HistoryViews;
import io.foresight.testing.LocalSpark;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of the shared event-log corpus imports with the outcome and the counts in the table
 * {@code corpus-expected.tsv} (taken from the corpus README): counted both in the import summary
 * and in the history tables.
 */
class CorpusImportTest {
  @TempDir static Path root;
  static final Map<String, ImportResult> results = new HashMap<>();
  static final List<ImportResult> refusedInCorpus = new ArrayList<>();
  static SparkSession reader;
  static HistoryLocation location;

  record Expected(
      String entry, String status, int jobs, int stages, long tasks, int executors, String note) {
    @Override
    public String toString() {
      return entry;
    }
  }

  static List<Expected> expected() throws Exception {
    List<Expected> list = new ArrayList<>();
    try (var in = CorpusImportTest.class.getResourceAsStream("/corpus-expected.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        list.add(
            new Expected(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Integer.parseInt(f[3]),
                Long.parseLong(f[4]),
                Integer.parseInt(f[5]),
                f.length > 6 ? f[6] : ""));
      }
    }
    return list;
  }

  static Path corpus() {
    return LocalSpark.sharedDir().resolve("corpus/eventlogs");
  }

  static PrintStream nowhere() {
    return new PrintStream(OutputStream.nullOutputStream());
  }

  @BeforeAll
  static void importTheCorpus() throws Exception {
    List<Path> inputs = new ArrayList<>();
    for (Expected e : expected()) {
      inputs.add(corpus().resolve(e.entry()));
    }
    assertEquals(35, inputs.size(), "the corpus README lists 35 entries");
    HistoryStore store =
        HistoryStore.open(
            root.resolve("history").toString(), root.resolve("spool"), new Configuration(), 20);
    location = store.location();
    EventLogImporter.Summary summary = EventLogImporter.run(inputs, store, 2, nowhere(), false);
    for (Expected e : expected()) {
      String prefix = corpus().resolve(e.entry()).toAbsolutePath().normalize().toString();
      List<ImportResult> mine =
          summary.results().stream()
              .filter(r -> r.path().startsWith(prefix))
              .filter(r -> r.imported() || e.status().equals("refused"))
              .toList();
      assertEquals(1, mine.size(), e.entry() + ": " + mine);
      results.put(e.entry(), mine.get(0));
    }
    summary.results().stream().filter(r -> !r.imported()).forEach(refusedInCorpus::add);
    reader = LocalSpark.start(root.resolve("reader"), Map.of());
  }

  @AfterAll
  static void stop() {
    if (reader != null) {
      reader.stop();
    }
  }

  private static long count(String sql) {
    return reader.sql(sql).first().getLong(0);
  }

  private static String raw(HistoryTable t) {
    return "delta.`" + location.tablePath(t) + "`";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expected")
  void entryImportsWithTheExpectedCounts(Expected e) {
    ImportResult r = results.get(e.entry());
    assertEquals(e.status(), r.status(), e.entry() + ": " + r);
    if (e.note().startsWith("no application end")) {
      assertTrue(r.reason().contains(e.note()), r.reason());
    }
    if (e.note().equals("malformed")) {
      assertEquals(1, r.malformedLines(), r.toString());
      assertNotNull(r.firstMalformed());
    } else {
      assertEquals(0, r.malformedLines(), "no malformed line in " + e.entry() + ": " + r);
    }
    assertEquals(e.jobs(), r.jobs(), "jobs");
    assertEquals(e.stages(), r.stages(), "stages");
    assertEquals(e.tasks(), r.tasks(), "tasks");
    assertEquals(e.executors(), r.executors(), "executors");

    String where = " WHERE source_path = '" + r.path().replace("'", "''") + "'";
    assertEquals(e.jobs(), count("SELECT count(*) FROM " + raw(HistoryTable.JOBS) + where));
    assertEquals(e.stages(), count("SELECT count(*) FROM " + raw(HistoryTable.STAGES) + where));
    assertEquals(
        e.executors(),
        count("SELECT count(DISTINCT executor_id) FROM " + raw(HistoryTable.EXECUTORS) + where));
    List<Row> app =
        reader
            .sql(
                "SELECT task_count, status, source FROM "
                    + raw(HistoryTable.APPS)
                    + where
                    + " ORDER BY revision DESC LIMIT 1")
            .collectAsList();
    if (!app.isEmpty()) {
      assertEquals(e.tasks(), app.get(0).getLong(0), "tasks in the apps table");
      assertEquals("eventlog", app.get(0).getString(2));
      String expectedStatus = e.status().equals("incomplete") ? "INCOMPLETE" : "SUCCEEDED";
      assertTrue(
          app.get(0).getString(1).equals(expectedStatus)
              || app.get(0).getString(1).equals("FAILED"),
          app.get(0).toString());
    }
  }

  /**
   * A stage whose parent Spark skipped (an earlier job wrote its shuffle, as under adaptive
   * execution) reads from the stage that ran for that parent, and a SQL stage from the stages that
   * built its broadcasts. In the corpus, 140 stages of jobs whose start the log holds have such a
   * parent; every producer of theirs is a stage of the table. (A stage whose job start is missing
   * from its log keeps its parents: nothing lists the skipped ones.)
   */
  @Test
  void skippedParentsResolveToTheStagesThatRan() {
    String stages = raw(HistoryTable.STAGES);
    String withRan =
        "SELECT s.*, ran FROM "
            + stages
            + " s JOIN (SELECT app_id, attempt_id, ingest_id, collect_set(stage_id) AS ran FROM "
            + stages
            + " GROUP BY 1, 2, 3) USING (app_id, attempt_id, ingest_id) WHERE job_id IS NOT NULL";
    // builtOnly: SQL stages that read no shuffle but a broadcast or a subquery's result, whose
    // producers are the stages that built it (24 in the corpus)
    Row counts =
        reader
            .sql(
                "SELECT count_if(exists(parent_stage_ids, p -> NOT array_contains(ran, p))),"
                    + " count_if(exists(producer_stage_ids, p -> NOT array_contains(ran, p))),"
                    + " count_if(shuffle_read_bytes > 0 AND size(producer_stage_ids) = 0),"
                    + " count_if(shuffle_read_bytes = 0 AND size(producer_stage_ids) > 0)"
                    + " FROM ("
                    + withRan
                    + ")")
            .first();
    long skippedParents = counts.getLong(0);
    long unknownProducers = counts.getLong(1);
    long readersWithout = counts.getLong(2);
    long builtOnly = counts.getLong(3);
    assertTrue(builtOnly >= 20, "stages reading only what other jobs built: " + builtOnly);
    assertTrue(skippedParents >= 140, "stages with a skipped parent: " + skippedParents);
    assertEquals(0, unknownProducers, "stages reading from a stage that did not run");
    assertEquals(0, readersWithout, "stages that read a shuffle from no stage");
  }

  /**
   * Every imported stage says what it runs, from Spark 1.6's RDD scopes to Spark 4's adaptive plans
   * and RAPIDS' GPU operators, with no code-generation or query-stage wrapper among them; the
   * stages adaptive execution submitted from its thread pool, whose names say nothing, included.
   */
  @Test
  void everyStageSaysWhatItRuns() {
    Row counts =
        reader
            .sql(
                "SELECT count(*), count_if(operators IS NULL OR size(operators) = 0),"
                    + " count_if(exists(operators, o -> o LIKE 'WholeStageCodegen%'"
                    + " OR o LIKE '%QueryStage' OR o = 'InputAdapter')),"
                    + " count_if(exists(operators, o -> o LIKE 'Gpu%')),"
                    + " count_if(name LIKE '%withThreadLocalCaptured%'"
                    + " AND exists(operators, o -> o LIKE 'Scan %' OR o LIKE '%Exchange'))"
                    + " FROM "
                    + raw(HistoryTable.STAGES))
            .first();
    assertTrue(counts.getLong(0) >= 400, "stages: " + counts);
    assertEquals(0, counts.getLong(1), "stages without operators: " + counts);
    assertEquals(0, counts.getLong(2), "stages listing wrappers: " + counts);
    assertTrue(counts.getLong(3) >= 10, "stages running GPU operators: " + counts);
    assertTrue(counts.getLong(4) >= 10, "adaptive stages named by their scans and exchanges");
  }

  @Test
  void nonLogMembersOfAnArchiveAreRefusedByName() {
    assertTrue(
        refusedInCorpus.stream()
            .anyMatch(
                r ->
                    r.path().endsWith("databricks_pricing.json")
                        && r.reason().contains("not a listener event")),
        refusedInCorpus.toString());
  }

  /** The job keys of the raw {@code apps} rows (every revision) matching {@code where}. */
  private static List<String> jobKeys(String where) {
    return reader
        .sql("SELECT DISTINCT job_key FROM " + raw(HistoryTable.APPS) + " WHERE " + where)
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .sorted()
        .toList();
  }

  @Test
  void shellSessionsShareTheShellsKeyAndDatabricksJobRunsTheirJobs() {
    // the Spark 2.3 log's sun.java.command is "*********(redacted)": no main class, not a key part
    assertEquals(List.of("spark-shell"), jobKeys("name = 'Spark shell'"));
    // the Databricks log is a run of job 313 ("Databricks Shell" is every run's name there), from
    // its first revision on: the job's cluster is named after it
    assertEquals(List.of("databricks-job-313"), jobKeys("app_id = 'app-20220114165818-0000'"));
  }

  @Test
  void versionsFromEveryHeaderAreRecorded() {
    List<Row> versions =
        reader
            .sql("SELECT DISTINCT spark_version FROM " + raw(HistoryTable.APPS) + " ORDER BY 1")
            .collectAsList();
    List<String> v = versions.stream().map(r -> r.getString(0)).toList();
    assertTrue(v.contains("2.2.3"), v.toString());
    assertTrue(v.contains("3.2.1"), "Databricks header: " + v);
    assertTrue(v.contains("4.1.0"), v.toString());
    assertTrue(v.contains("4.2.0-SNAPSHOT"), v.toString());
  }

  @Test
  void reimportingReplacesInsteadOfDuplicating() throws Exception {
    HistoryStore store =
        HistoryStore.open(
            root.resolve("reimport").toString(), root.resolve("spool"), new Configuration(), 20);
    List<Path> again =
        List.of(
            corpus().resolve("apache-spark/local-1642039451826"),
            corpus().resolve("nvidia-spark-rapids-tools/truncated_eventlog"),
            corpus()
                .resolve(
                    "kubeflow-mcp-apache-spark-history-server/eventlog_v2_spark-110be3a8424d4a2789cb88134418217b"));
    assertEquals(3, EventLogImporter.run(again, store, 2, nowhere(), false).imported());
    HistoryViews.register(reader, store.location().root());
    long stages = count("SELECT count(*) FROM foresight.stages");
    long apps = count("SELECT count(*) FROM foresight.apps");
    long jobs = count("SELECT count(*) FROM foresight.jobs");
    long executors = count("SELECT count(*) FROM foresight.executors");
    EventLogImporter.Summary s = EventLogImporter.run(again, store, 2, nowhere(), false);
    assertEquals(3, s.imported());
    assertEquals(stages, count("SELECT count(*) FROM foresight.stages"));
    assertEquals(apps, count("SELECT count(*) FROM foresight.apps"));
    assertEquals(jobs, count("SELECT count(*) FROM foresight.jobs"));
    assertEquals(executors, count("SELECT count(*) FROM foresight.executors"));
    assertEquals(
        2 * stages,
        count(
            "SELECT count(*) FROM delta.`" + store.location().tablePath(HistoryTable.STAGES) + "`"),
        "the raw table holds both ingests; the views show the latest");
  }

  @Test
  void unknownFilesAreRefusedWithAOneLineReason() throws Exception {
    Path junk = Files.createDirectories(root.resolve("junk"));
    Files.writeString(junk.resolve("notes.md"), "# not a log\n");
    Files.write(junk.resolve("empty.log"), new byte[0]);
    Files.write(junk.resolve("random.bin"), new byte[] {7, 3, 9, 1, 0, 0, 42, 17});
    Files.writeString(junk.resolve("config.json"), "{\"spark\": true}\n");
    Files.write(
        junk.resolve("broken.zstd"),
        new byte[] {(byte) 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1, 2});
    Files.createDirectories(junk.resolve("eventlog_v2_local-1"));
    HistoryStore store =
        HistoryStore.open(
            root.resolve("junk-history").toString(), root.resolve("spool"), new Configuration(), 5);
    EventLogImporter.Summary s =
        EventLogImporter.run(
            List.of(junk, root.resolve("does-not-exist")), store, 1, nowhere(), false);
    assertEquals(0, s.imported());
    Map<String, String> reasons = new HashMap<>();
    s.results().forEach(r -> reasons.put(Path.of(r.path()).getFileName().toString(), r.reason()));
    assertTrue(
        reasons.get("notes.md").startsWith("not a Spark event log: starts with bytes 23 20"),
        reasons.toString());
    assertEquals("empty file", reasons.get("empty.log"));
    assertTrue(
        reasons.get("random.bin").contains("expected JSON lines, or zstd"), reasons.toString());
    assertTrue(reasons.get("config.json").contains("the first line is not a listener event"));
    assertTrue(
        reasons.get("broken.zstd").startsWith("cannot decompress as zstd"), reasons.toString());
    assertTrue(reasons.get("eventlog_v2_local-1").contains("without events_<N>_* parts"));
    assertEquals("no such file or directory", reasons.get("does-not-exist"));
    for (String reason : reasons.values()) {
      assertTrue(!reason.contains("\n"), "one line: " + reason);
    }
    try (Stream<Path> left = Files.list(root.resolve("spool"))) {
      assertTrue(left.noneMatch(p -> p.toString().endsWith(".spool")), "nothing left behind");
    }
  }
}
