package io.foresight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import io.foresight.forecast.ModelStore;
import io.foresight.forecast.StageForecast;
import io.foresight.plan.PlannerSettings;
import io.foresight.spark.ForesightPlugin;
import io.foresight.spark.plan.StartupPlanner;
import io.foresight.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast commands on a history captured by the real plugin: train, predict (recorded),
 * prediction accuracy joined with the captured run, the online update after a captured run, and the
 * clear errors.
 */
class ForecastCommandsTest {
  static final String JOB = "forecast-cli-test";
  @TempDir static Path root;
  static Path history;
  static final List<String> appIds = new ArrayList<>();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return CliCapture.run(args, out, err);
  }

  /** One captured run of a small recurring aggregation over {@code rows} rows, on local[2]. */
  static String capture(int i, long rows) {
    return capture(i, rows, "local[2]");
  }

  /** One captured run of a small recurring aggregation over {@code rows} rows. */
  static String capture(int i, long rows, String master) {
    Map<String, String> conf =
        Map.of(
            "spark.plugins", ForesightPlugin.class.getName(),
            "spark.foresight.history.path", history.toString(),
            "spark.foresight.spool.dir", root.resolve("spool").toString(),
            "spark.foresight.job.id", JOB,
            "spark.foresight.job.scheduledTime",
                Instant.parse("2026-11-02T00:00:00Z").plusSeconds(3600L * i).toString());
    return aggregate(master, root.resolve("spark"), conf, rows);
  }

  /**
   * Runs a small recurring aggregation over {@code rows} rows as one application on {@code master}
   * with {@code conf}; its application id.
   */
  static String aggregate(String master, Path sparkDir, Map<String, String> conf, long rows) {
    SparkSession.Builder b = LocalSpark.builder(master, sparkDir);
    conf.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    try {
      spark
          .range(0, rows, 1, 4)
          .selectExpr("id % 97 AS k", "id * 2 AS v")
          .groupBy("k")
          .sum("v")
          .collectAsList();
      return spark.sparkContext().applicationId();
    } finally {
      spark.stop();
    }
  }

  @BeforeAll
  static void captureRuns() {
    history = root.resolve("history");
    for (int i = 0; i < 6; i++) {
      appIds.add(capture(i, 200_000L * (1 + i % 3)));
    }
  }

  @Test
  void trainPredictAccuracyAndOnlineUpdate() throws Exception {
    String h = history.toString();
    // eleven versions of earlier trainings: with the new one, the oldest two go
    ModelStore store = ModelStore.of(h);
    List<String> earlier = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      String v =
          ModelStore.versionAt(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + i * 1000L);
      store.save(io.foresight.forecast.model.ForecastModel.empty(v, List.of()));
      earlier.add(v);
    }
    assertEquals(0, run("train", "--history", h), err.toString());
    assertTrue(out.toString().contains("on 6 applications (1 jobs"), out.toString());
    assertTrue(
        out.toString()
            .contains(
                "Deleted 2 older model version(s) (--keep 10): "
                    + earlier.get(0)
                    + ", "
                    + earlier.get(1)),
        out.toString());
    assertEquals(10, store.versions().size());
    Path models = history.resolve("models");
    String version = Files.readString(models.resolve("LATEST")).trim();
    assertTrue(Files.isRegularFile(models.resolve(version).resolve("model.json")));

    // before any prediction of a captured run, accuracy says why its tables are empty
    assertEquals(0, run("accuracy", "--history", h), err.toString());
    assertTrue(
        out.toString().contains("None yet: 0 prediction row(s) recorded, but none of a run"),
        out.toString());
    assertTrue(
        out.toString().contains("no run has been captured since this model was trained"),
        out.toString());

    // Under adaptive execution the aggregation runs in a job after its map stage's, whose stage
    // it names as a skipped parent: the forecast's DAG still has the edge between the two.
    List<StageForecast> stages = DemandForecaster.open(h).forecast(DemandRequest.of(JOB)).stages();
    assertEquals(2, stages.size(), stages.toString());
    StageForecast map = stages.stream().filter(s -> s.parents().isEmpty()).findFirst().get();
    StageForecast reduce = stages.stream().filter(s -> s != map).findFirst().get();
    assertEquals(List.of(map.signature()), reduce.parents(), stages.toString());

    // The plugin records the forecast at the executors its run starts with (the plan's, or the
    // user's), where the plan was forecast at the history's usual shape.
    StartupPlanner.ModelPlan planned =
        StartupPlanner.planFromModel(h, JOB, null, 1024, PlannerSettings.defaults());
    DemandForecast usual = planned.forecast();
    assertEquals(1, usual.executors(), "local[2]: one executor");
    assertEquals(2, usual.executorCores(), "of 2 cores");
    assertSame(usual, planned.forecastAt(new StartupPlanner.Shape(null, null)));
    assertSame(
        usual,
        planned.forecastAt(new StartupPlanner.Shape(usual.executorCores(), usual.executors())));
    DemandForecast wider =
        planned.forecastAt(new StartupPlanner.Shape(null, usual.executors() + 3));
    assertEquals(usual.executors() + 3, wider.executors());
    assertEquals(usual.executorCores(), wider.executorCores());
    assertEquals(usual.modelVersion(), wider.modelVersion());
    assertEquals(usual.stages().size(), wider.stages().size());
    assertTrue(
        wider.wallClockSeconds().point() <= usual.wallClockSeconds().point(),
        "more executors, no slower: " + wider.wallClockSeconds() + " " + usual.wallClockSeconds());

    // The same models on another Hadoop file system (as on HDFS or S3), reached with the
    // application's Hadoop configuration: the same plan.
    Path elsewhere = root.resolve("elsewhere");
    io.foresight.testing.TestFiles.copyTree(models, elsewhere.resolve("models"));
    org.apache.hadoop.conf.Configuration conf =
        io.foresight.testing.LocalUnderScheme.register(
            new org.apache.hadoop.conf.Configuration(), "hdfsish");
    int instances = io.foresight.testing.LocalUnderScheme.INSTANCES.get();
    StartupPlanner.ModelPlan remote =
        StartupPlanner.planFromModel(
            "hdfsish://" + elsewhere, conf, JOB, null, null, 1024, PlannerSettings.defaults());
    // one file system instance for the check and the read (on S3 each is a client to set up)
    assertEquals(1, io.foresight.testing.LocalUnderScheme.INSTANCES.get() - instances);
    assertEquals(planned.plan(), remote.plan());
    assertEquals(usual, remote.forecast());

    // a captured run after training is folded into the online statistics by the plugin; it runs
    // on three cores where its history had two
    String seventh = capture(6, 400_000L, "local[3]");
    String stats =
        Files.readString(models.resolve("online-stats").resolve(ModelStore.jobFileName(JOB)));
    assertTrue(stats.contains(seventh), stats);
    assertTrue(stats.contains("\"modelVersion\":\"" + version + "\""), stats);

    assertEquals(
        0,
        run("predict", "--job", JOB, "--input-gib", "0", "--run-id", seventh, "--history", h),
        err.toString());
    String printed = out.toString();
    assertTrue(printed.contains("Job " + JOB + "  model " + version), printed);
    assertTrue(printed.contains("core-seconds") && printed.contains("useful executors"), printed);
    // six runs give three rolling scores, too few for a conformal 95 % bound of the job's own
    assertTrue(printed.contains("sum of the stage bounds"), printed);
    assertTrue(printed.contains("overhead plus the critical path of the stage bounds"), printed);

    assertEquals(
        0,
        run(
            "sql",
            "SELECT p.source, p.run_id, p.point, p.actual, a.end_ms - a.start_ms AS wall_ms,"
                + " p.executor_cores, p.executors"
                + " FROM foresight.prediction_accuracy p JOIN foresight.apps a"
                + " ON p.run_id = a.app_id WHERE p.target = 'job_wall_clock_seconds'"
                + " ORDER BY p.source",
            "--history",
            h,
            "--json"),
        err.toString());
    String joined = out.toString().trim();
    // the CLI's forecast, and the one the plugin made at the seventh run's start for its plan
    assertEquals(2, joined.lines().count(), joined);
    List<String> sources = new ArrayList<>();
    for (String line : joined.lines().toList()) {
      var row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      sources.add(row.get("source").asText());
      assertEquals(seventh, row.get("run_id").asText());
      assertEquals(row.get("wall_ms").asDouble() / 1000.0, row.get("actual").asDouble(), 1e-9);
      assertTrue(row.get("point").asDouble() > 0, joined);
      // the CLI predicted the usual shape; the plugin the run's own, one executor of 3 cores
      assertEquals(sources.size() == 1 ? 2 : 3, row.get("executor_cores").asInt(), joined);
      assertEquals(1, row.get("executors").asInt(), joined);
    }
    assertEquals(List.of("cli", "plugin"), sources);

    assertEquals(
        0,
        run(
            "sql",
            "SELECT count(*) AS n FROM foresight.prediction_accuracy WHERE scope = 'stage'",
            "--history",
            h,
            "--json"));
    assertTrue(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString()).get("n").asInt()
            >= 6,
        out.toString());

    assertEquals(0, run("accuracy", "--history", h), err.toString());
    assertTrue(out.toString().contains("job_wall_clock_seconds"), out.toString());
    assertTrue(out.toString().contains(JOB), out.toString());

    // plan records its forecast too (no run id: it joins no run), and --no-record nothing
    String forecasts =
        "SELECT count(DISTINCT forecast_id) AS n FROM foresight.predictions WHERE source = 'cli'";
    assertEquals(0, run("plan", "--job", JOB, "--history", h), err.toString());
    assertEquals(0, run("plan", "--job", JOB, "--history", h, "--no-record"), err.toString());
    assertEquals(0, run("sql", forecasts, "--history", h, "--json"), err.toString());
    assertEquals(
        2,
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString()).get("n").asInt(),
        "predict's and plan's: " + out);
  }

  @Test
  void clearErrors() throws Exception {
    assertEquals(2, run("predict", "--history", history.toString()));
    assertTrue(err.toString().contains("--job KEY is required"));
    assertEquals(2, run("predict", "--job", JOB, "--input-gib", "lots"));
    assertTrue(err.toString().contains("--input-gib expects a number"));
    assertEquals(2, run("predict", "--job", JOB, "--start", "yesterday"));
    assertTrue(err.toString().contains("ISO-8601"));
    assertEquals(2, run("train", "--quantile", "2"));
    assertTrue(err.toString().contains("--quantile expects a number in (0.5, 1)"));
    assertEquals(2, run("train", "--keep", "0"));
    assertTrue(
        err.toString().contains("--keep expects a whole number >= 1, got '0'"), err.toString());

    // A mistyped --history: refused before Spark starts, and nothing is created there.
    Path missing = root.resolve("no-such-history");
    for (List<String> command :
        List.of(
            List.of("train"),
            List.of("backtest"),
            List.of("accuracy"),
            List.of("compact"),
            List.of("sql", "SELECT count(*) FROM foresight.apps"))) {
      List<String> argv = new ArrayList<>(command);
      argv.addAll(List.of("--history", missing.toString()));
      assertEquals(1, run(argv.toArray(String[]::new)), command.toString());
      assertTrue(
          err.toString()
              .startsWith(
                  "foresight " + command.get(0) + ": there is no Foresight history at " + missing),
          err.toString());
      assertFalse(Files.exists(missing), command + " created " + missing);
    }

    // A history whose tables exist but hold no run, as registering its views in a session (a
    // notebook's HistoryViews.register) leaves it.
    String empty = root.resolve("empty-history").toString();
    LocalHistorySession.start("empty-history", empty).stop();
    assertEquals(0, run("sql", "SELECT count(*) FROM foresight.apps", "--history", empty));
    assertTrue(out.toString().contains("| 0        |"), out.toString());
    assertEquals(1, run("train", "--history", empty));
    assertTrue(
        err.toString().contains("has no succeeded application with a job key"), err.toString());
    assertEquals(1, run("predict", "--job", "nightly", "--history", empty));
    assertTrue(out.toString().contains("No trained model"), out.toString());
    assertFalse(out.toString().contains("does not plan"), out.toString());
    // a shell's key: the plugin does not plan its sessions, and predict says so
    assertEquals(1, run("predict", "--job", "spark-shell", "--history", empty));
    assertTrue(
        out.toString()
            .contains(
                "Note: the plugin does not plan runs under this key: it is a shell or notebook"
                    + " session under its default name (key 'spark-shell')"),
        out.toString());
    assertEquals(1, run("predict", "--job", "nightly", "--history", empty, "--json"));
    var none = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertEquals("LOW", none.get("confidence").asText(), out.toString());
    // no value is a JSON null, not the string "NaN"
    assertTrue(none.get("wallClockSeconds").get("point").isNull(), out.toString());
    assertTrue(none.get("coreSeconds").get("upper").isNull(), out.toString());
    assertFalse(out.toString().contains("NaN"), out.toString());
    assertEquals(1, run("backtest", "--history", empty));
    assertTrue(err.toString().contains("more than --min-train-runs 12 are needed"), err.toString());

    assertEquals(2, run("plan", "--history", empty));
    assertTrue(err.toString().contains("foresight plan: --job KEY is required"), err.toString());
    assertEquals(2, run("plan", "--job", JOB, "--conf", "spark.foresight.planner.maxProfiles=0"));
    assertTrue(err.toString().contains("spark.foresight.planner.maxProfiles"), err.toString());
    assertTrue(err.toString().contains("between 1 and 8"), err.toString());
    assertEquals(2, run("plan", "--job", JOB, "--executor-memory", "lots"));
    assertTrue(err.toString().contains("--executor-memory expects a size"), err.toString());
    assertEquals(2, run("plan", "--job", JOB, "--conf", "novalue"));
    assertTrue(err.toString().contains("--conf expects KEY=VALUE"), err.toString());
    assertEquals(1, run("plan", "--job", "nightly", "--history", empty));
    assertTrue(out.toString().contains("NOT actionable"), out.toString());
  }
}
