package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.capture.CaptureListener;
import io.foresight.examples.RecurringEtlJob;
import io.foresight.examples.TpchTables;
import io.foresight.history.HistoryViews;
import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.status.api.v1.StageData;
import org.apache.spark.status.api.v1.StageStatus;
import org.apache.spark.status.api.v1.TaskMetricDistributions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A local[2] application with the plugin runs TPC-H style queries; every completed stage must have
 * exactly one row whose metrics equal Spark's own status store, with the right data
 * characteristics, and Foresight's own (internal) jobs must not be captured.
 */
class CaptureMatchesSparkStatusStoreTest {
  @TempDir static Path root;

  /** Status-store view of one stage attempt, taken before the application stopped. */
  record Expected(StageData stage, TaskMetricDistributions summary) {}

  static final Map<String, Expected> expected = new HashMap<>();
  static final List<Integer> internalStageIds = new ArrayList<>();
  static String appId;
  static SparkSession reader;
  static Map<String, Row> rows;

  @BeforeAll
  static void runCapturedApplication() throws Exception {
    Path input = TpchFixture.prepare(root, "2026-11-01", 0.01);
    SparkSession spark = LocalSpark.start(root.resolve("spark"), TpchFixture.pluginConf(root));
    SparkContext sc = spark.sparkContext();
    appId = sc.applicationId();

    sc.setJobGroup("q1-parquet-aggregate", "Q1", false);
    spark
        .read()
        .parquet(input.resolve("parquet/lineitem").toString())
        .createOrReplaceTempView("li");
    spark
        .sql(
            "SELECT l_returnflag, l_linestatus, sum(l_quantity), avg(l_extendedprice), count(*)"
                + " FROM li GROUP BY l_returnflag, l_linestatus ORDER BY 1, 2")
        .collectAsList();

    sc.setJobGroup("csv-scan", "csv", false);
    TpchTables.readCsv(spark, input.resolve("csv"), "customer").filter("c_acctbal > 0").count();

    sc.setJobGroup("etl-join-window", "ETL", false);
    RecurringEtlJob.run(spark, input, root.resolve("out"));

    sc.setJobGroup("internal", "Foresight's own read", false);
    sc.setLocalProperty(CaptureListener.INTERNAL_PROPERTY, "true");
    spark.range(0, 1000, 1, 3).selectExpr("id % 7 AS k").groupBy("k").count().collectAsList();
    sc.setLocalProperty(CaptureListener.INTERNAL_PROPERTY, null);
    sc.clearJobGroup();

    sc.listenerBus().waitUntilEmpty();
    for (StageData s :
        CollectionConverters.asJava(
            sc.statusStore().stageList(null, false, false, new double[0], null))) {
      boolean internal =
          s.description().isDefined() && s.description().get().equals("Foresight's own read");
      if (internal || isInternalJobStage(sc, s.stageId())) {
        internalStageIds.add(s.stageId());
        continue;
      }
      if (s.status() == StageStatus.COMPLETE) {
        TaskMetricDistributions summary =
            sc.statusStore()
                .taskSummary(s.stageId(), s.attemptId(), new double[] {0.5, 0.95, 1.0})
                .get();
        expected.put(s.stageId() + "." + s.attemptId(), new Expected(s, summary));
      }
    }
    assertEquals(0, ForesightPlugin.lastCaptureStats().eventsDropped());
    spark.stop();
    assertEquals(0, ForesightPlugin.lastCaptureStats().errors());

    reader = LocalSpark.start(root.resolve("reader"), Map.of());
    HistoryViews.register(reader, root.resolve("history").toString());
    rows = new HashMap<>();
    for (Row r :
        reader
            .sql("SELECT * FROM foresight.stages WHERE app_id = '" + appId + "'")
            .collectAsList()) {
      String key = r.getAs("stage_id") + "." + r.getAs("stage_attempt_id");
      assertFalse(rows.containsKey(key), "one row per stage attempt: " + key);
      rows.put(key, r);
    }
  }

  private static boolean isInternalJobStage(SparkContext sc, int stageId) {
    for (var job : CollectionConverters.asJava(sc.statusStore().jobsList(null))) {
      if (job.jobGroup().isDefined()
          && job.jobGroup().get().equals("internal")
          && CollectionConverters.asJava(job.stageIds()).contains(stageId)) {
        return true;
      }
    }
    return false;
  }

  @AfterAll
  static void stop() {
    if (reader != null) {
      reader.stop();
    }
  }

  @Test
  void everyCompletedStageHasExactlyOneRow() {
    assertTrue(expected.size() >= 8, "the queries ran several stages: " + expected.size());
    assertEquals(expected.keySet(), rows.keySet());
  }

  @Test
  void stageMetricsEqualTheStatusStore() {
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      StageData s = e.getValue().stage();
      Row r = rows.get(e.getKey());
      String at = "stage " + e.getKey();
      assertEquals("COMPLETE", r.getAs("status"), at);
      assertEquals(s.name(), r.getAs("name"), at);
      assertEquals(s.numTasks(), (int) r.getAs("num_tasks"), at);
      assertEquals(s.numCompleteTasks(), (int) r.getAs("completed_tasks"), at);
      assertEquals(s.numFailedTasks(), (int) r.getAs("failed_tasks"), at);
      assertEquals(s.numKilledTasks(), (int) r.getAs("killed_tasks"), at);
      assertEquals(s.submissionTime().get().getTime(), (long) r.getAs("submission_ms"), at);
      assertEquals(s.completionTime().get().getTime(), (long) r.getAs("completion_ms"), at);
      assertEquals(s.executorRunTime(), (long) r.getAs("executor_run_time_ms"), at);
      assertEquals(s.executorCpuTime() / 1_000_000L, (long) r.getAs("executor_cpu_time_ms"), at);
      assertEquals(s.jvmGcTime(), (long) r.getAs("jvm_gc_time_ms"), at);
      assertEquals(s.inputBytes(), (long) r.getAs("input_bytes"), at);
      assertEquals(s.inputRecords(), (long) r.getAs("input_records"), at);
      assertEquals(s.outputBytes(), (long) r.getAs("output_bytes"), at);
      assertEquals(s.outputRecords(), (long) r.getAs("output_records"), at);
      assertEquals(s.shuffleReadBytes(), (long) r.getAs("shuffle_read_bytes"), at);
      assertEquals(s.shuffleReadRecords(), (long) r.getAs("shuffle_read_records"), at);
      assertEquals(s.shuffleWriteBytes(), (long) r.getAs("shuffle_write_bytes"), at);
      assertEquals(s.shuffleWriteRecords(), (long) r.getAs("shuffle_write_records"), at);
      assertEquals(s.memoryBytesSpilled(), (long) r.getAs("memory_spill_bytes"), at);
      assertEquals(s.diskBytesSpilled(), (long) r.getAs("disk_spill_bytes"), at);
      assertEquals(s.resourceProfileId(), (int) r.getAs("resource_profile_id"), at);
      TaskMetricDistributions d = e.getValue().summary();
      List<Object> durations = CollectionConverters.asJava(d.duration());
      assertEquals(
          (long) (double) (Double) durations.get(0), (long) r.getAs("task_duration_p50_ms"), at);
      assertEquals(
          (long) (double) (Double) durations.get(1), (long) r.getAs("task_duration_p95_ms"), at);
      assertEquals(
          (long) (double) (Double) durations.get(2), (long) r.getAs("task_duration_max_ms"), at);
      List<Object> peak = CollectionConverters.asJava(d.peakExecutionMemory());
      assertEquals(
          (long) (double) (Double) peak.get(2), (long) r.getAs("peak_execution_memory_bytes"), at);
      assertNotNull(r.getAs("signature"), at);
      assertNotNull(r.getAs("profile_executor_memory_bytes"), at);
    }
  }

  private List<Row> stagesOfGroup(String group) {
    return reader
        .sql(
            "SELECT s.* FROM foresight.stages s JOIN foresight.jobs j ON s.app_id = j.app_id AND"
                + " s.job_id = j.job_id WHERE s.app_id = '"
                + appId
                + "' AND j.job_group = '"
                + group
                + "'")
        .collectAsList();
  }

  @Test
  void characteristicsDescribeTheKnownQueries() {
    List<Row> q1 = stagesOfGroup("q1-parquet-aggregate");
    assertTrue(
        q1.stream()
            .anyMatch(
                r ->
                    r.getList(r.fieldIndex("input_formats")).equals(List.of("parquet"))
                        && (int) r.getAs("aggregate_count") >= 1
                        && (long) r.getAs("input_bytes") > 0
                        && (int) r.getAs("input_schema_depth") == 1),
        "Q1 scans parquet and aggregates: " + q1);

    List<Row> csv = stagesOfGroup("csv-scan");
    assertTrue(
        csv.stream().anyMatch(r -> r.getList(r.fieldIndex("input_formats")).equals(List.of("csv"))),
        "csv scan: " + csv);

    List<Row> etl = stagesOfGroup("etl-join-window");
    int joins = etl.stream().mapToInt(r -> nz(r, "join_count")).sum();
    int windows = etl.stream().mapToInt(r -> nz(r, "window_count")).sum();
    int sorts = etl.stream().mapToInt(r -> nz(r, "sort_count")).sum();
    int exchanges = etl.stream().mapToInt(r -> nz(r, "exchange_count")).sum();
    assertTrue(joins >= 3, "three joins in the ETL: " + joins);
    assertTrue(windows >= 1, "a window: " + windows);
    assertTrue(sorts >= 1, "a sort: " + sorts);
    assertTrue(exchanges >= 2, "exchanges: " + exchanges);
    Set<String> formats =
        etl.stream()
            .flatMap(r -> r.<String>getList(r.fieldIndex("input_formats")).stream())
            .collect(Collectors.toSet());
    assertTrue(formats.containsAll(Set.of("parquet", "csv")), "ETL reads both: " + formats);
    // job_input_bytes: the whole job's input, the same on every stage of a job
    for (Row r : etl) {
      Long jobInput = r.getAs("job_input_bytes");
      assertNotNull(jobInput);
      assertTrue(jobInput >= (long) r.getAs("input_bytes"));
    }
  }

  private static int nz(Row r, String col) {
    Integer v = r.getAs(col);
    return v == null ? 0 : v;
  }

  /** Every query of the README's SQL cookbook runs against a real history. */
  @Test
  void readmeCookbookQueriesRun() throws Exception {
    Path readme = Path.of(System.getProperty("foresight.project.dir", "..")).resolve("README.md");
    List<String> queries = new ArrayList<>();
    StringBuilder current = null;
    for (String line : java.nio.file.Files.readAllLines(readme)) {
      String t = line.trim();
      if (t.equals("```sql")) {
        current = new StringBuilder();
      } else if (t.equals("```") && current != null) {
        queries.add(current.toString());
        current = null;
      } else if (current != null) {
        current.append(t).append('\n');
      }
    }
    assertTrue(queries.size() >= 10, "the cookbook has 10+ queries: " + queries.size());
    for (String q : queries) {
      try {
        reader.sql(q).collectAsList();
      } catch (Exception e) {
        throw new AssertionError("README query failed: " + q, e);
      }
    }
    assertFalse(reader.sql(queries.get(1)).collectAsList().isEmpty(), "stages are listed");
  }

  @Test
  void foresightsOwnJobsAreNotCaptured() {
    assertFalse(internalStageIds.isEmpty());
    for (int id : internalStageIds) {
      assertFalse(rows.keySet().stream().anyMatch(k -> k.startsWith(id + ".")), "stage " + id);
    }
    long internalJobs =
        reader
            .sql(
                "SELECT count(*) FROM foresight.jobs WHERE app_id = '"
                    + appId
                    + "' AND job_group = 'internal'")
            .first()
            .getLong(0);
    assertEquals(0, internalJobs);
  }

  @Test
  void applicationAndExecutorRowsAreComplete() {
    Row app = reader.sql("SELECT * FROM foresight.apps WHERE app_id = '" + appId + "'").first();
    assertEquals("SUCCEEDED", app.getAs("status"));
    assertEquals(expected.size(), (int) app.getAs("stage_count"));
    assertEquals("local[2]", app.getAs("master"));
    assertEquals("client", app.getAs("deploy_mode"));
    assertEquals("foresight-test", app.getAs("name"));
    assertTrue((long) app.getAs("end_ms") >= (long) app.getAs("start_ms"));
    assertNotNull(app.getAs("spark_version"));
    assertTrue((double) app.getAs("executor_core_seconds") > 0);
    assertEquals(1, (int) app.getAs("max_concurrent_executors"));
    assertEquals("live", app.getAs("source"));
    Map<String, String> conf = app.getJavaMap(app.fieldIndex("conf"));
    assertEquals("4", conf.get("spark.sql.shuffle.partitions"));
    long jobs =
        reader
            .sql("SELECT count(*) FROM foresight.jobs WHERE app_id = '" + appId + "'")
            .first()
            .getLong(0);
    assertEquals((int) app.getAs("job_count"), jobs);

    Row exec =
        reader.sql("SELECT * FROM foresight.executors WHERE app_id = '" + appId + "'").first();
    assertEquals("driver", exec.getAs("executor_id"));
    assertEquals(2, (int) exec.getAs("cores"));
    assertEquals("localhost", exec.getAs("host"), "local mode names its executor host localhost");
    assertNotNull(exec.getAs("added_ms"));
  }
}
