package io.foresight.examples;

import io.foresight.cli.ForesightCli;
import io.foresight.cli.LocalHistorySession;
import io.foresight.forecast.Target;
import io.foresight.spark.ForesightPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The demo's cluster part: on an embedded standalone cluster, {@link SkewedMemoryJob} runs for a
 * number of days on static executors of 2 cores while Foresight captures it, one executor on odd
 * days and two on even ones, as a job whose size was tried both ways; models are trained; then the
 * next day runs twice, with Spark's reactive dynamic allocation and with Foresight's plan, and the
 * two are printed side by side with the predictions.
 */
public final class PlannedVsReactive {
  public static final String JOB = "skewed-memory-job";

  /**
   * The job's first nominal day: tomorrow, so that its runs are the latest in a history that also
   * holds the demo's other job (the trainer holds out the latest runs to calibrate the bounds).
   */
  static final Instant FIRST_DAY =
      Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS);

  private PlannedVsReactive() {}

  /** What one run cost, from the history. */
  public record RunCost(String appId, double wallSeconds, double coreSeconds, double gibSeconds) {}

  /** The outcome: the two runs of the next day and whether their results matched. */
  public record Outcome(RunCost reactive, RunCost planned, boolean sameResults) {}

  public static Outcome run(Path work, String history, int historyDays) throws Exception {
    Path lineitem = work.resolve("skewed-input").resolve("lineitem");
    if (!Files.exists(lineitem.resolve("_SUCCESS"))) {
      Path csv = work.resolve("skewed-input").resolve("csv");
      TpchTables.generateCsv(csv, 0.05);
      SparkSession prep = Demo.session("foresight-demo-prepare-skewed", work, null).getOrCreate();
      try {
        TpchTables.toParquet(prep, csv, work.resolve("skewed-input"), List.of("lineitem"));
      } finally {
        prep.stop();
      }
    }
    try (EmbeddedCluster cluster = EmbeddedCluster.start(work.resolve("cluster"), 8, "8g")) {
      System.out.println("  cluster " + cluster.url() + " (1 worker, 8 cores, 8 GiB)");
      for (int day = 0; day < historyDays; day++) {
        int executors = 1 + day % 2;
        SparkSession s =
            builder(cluster, work, history, day, "static")
                .config("spark.executor.cores", "2")
                .config("spark.executor.memory", "512m")
                .config("spark.cores.max", Integer.toString(2 * executors))
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        long t0 = System.nanoTime();
        try {
          SkewedMemoryJob.run(s, lineitem);
        } finally {
          s.stop();
        }
        System.out.printf(
            "  day %d: static %d executor(s) x 2 cores x 512 MiB, %d ms%n",
            day + 1, executors, (System.nanoTime() - t0) / 1_000_000);
      }
      System.out.println("  training the models (Spark MLlib)...");
      int rc =
          ForesightCli.run(
              new String[] {"train", "--history", history, "--quantile", "0.9"},
              System.out,
              System.err);
      if (rc != 0) {
        throw new IllegalStateException("training failed with exit code " + rc);
      }

      SparkSession reactive =
          builder(cluster, work, history, historyDays, "reactive")
              .config("spark.foresight.planner.mode", "observe")
              .config("spark.executor.cores", "2")
              .config("spark.executor.memory", "1g")
              .config("spark.dynamicAllocation.enabled", "true")
              .config("spark.dynamicAllocation.shuffleTracking.enabled", "true")
              .config("spark.dynamicAllocation.maxExecutors", "4")
              .getOrCreate();
      reactive.sparkContext().setLogLevel("WARN");
      String reactiveApp = reactive.sparkContext().applicationId();
      List<Row> expected;
      try {
        expected = SkewedMemoryJob.run(reactive, lineitem);
      } finally {
        reactive.stop();
      }
      SparkSession planned = builder(cluster, work, history, historyDays, "planned").getOrCreate();
      planned.sparkContext().setLogLevel("WARN");
      String plannedApp = planned.sparkContext().applicationId();
      List<Row> actual;
      try {
        actual = SkewedMemoryJob.run(planned, lineitem);
      } finally {
        planned.stop();
      }
      return report(history, reactiveApp, plannedApp, expected.equals(actual));
    }
  }

  private static SparkSession.Builder builder(
      EmbeddedCluster cluster, Path work, String history, int day, String what) {
    return SparkSession.builder()
        .master(cluster.url())
        .appName(JOB + " " + what)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.extraClassPath", cluster.executorClassPath())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.warehouse.dir", work.resolve("warehouse").toString())
        .config("spark.plugins", ForesightPlugin.class.getName())
        .config("spark.foresight.history.path", history)
        .config("spark.foresight.spool.dir", work.resolve("spool").toString())
        .config("spark.foresight.job.id", JOB)
        .config(
            "spark.foresight.job.scheduledTime", FIRST_DAY.plus(day, ChronoUnit.DAYS).toString());
  }

  private static String upper(double[] e) {
    return e == null || !Double.isFinite(e[1]) ? "-" : String.format(Locale.ROOT, "%.2f", e[1]);
  }

  private static String gib(Row r, int i) {
    return r.isNullAt(i) || r.getDouble(i) <= 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f", r.getDouble(i));
  }

  /**
   * The plugin's forecast at the start of {@code appId}, from {@code foresight.predictions}:
   * signature to target to (point, upper), NaN where there was none.
   */
  private static Map<String, Map<String, double[]>> predictedAtStart(
      SparkSession sql, String appId) {
    Map<String, Map<String, double[]>> out = new HashMap<>();
    for (Row r :
        sql.sql(
                "SELECT signature, target, point, upper FROM foresight.predictions"
                    + " WHERE source = 'plugin' AND scope = 'stage' AND run_id = '"
                    + appId
                    + "'")
            .collectAsList()) {
      out.computeIfAbsent(r.getString(0), k -> new HashMap<>())
          .put(
              r.getString(1),
              new double[] {
                r.isNullAt(2) ? Double.NaN : r.getDouble(2),
                r.isNullAt(3) ? Double.NaN : r.getDouble(3)
              });
    }
    return out;
  }

  private static Outcome report(String history, String reactiveApp, String plannedApp, boolean same)
      throws java.io.IOException {
    SparkSession sql = LocalHistorySession.start("foresight-demo-compare", history);
    try {
      Map<String, Map<String, double[]>> predicted = predictedAtStart(sql, plannedApp);
      System.out.println(
          "\n  Per stage, planned run: what the plugin predicted at its start"
              + " (foresight.predictions) vs actual");
      System.out.printf(
          Locale.ROOT,
          "  %-16s %-8s %18s %8s %11s %9s %13s %9s%n",
          "stage",
          "profile",
          "task-s pred(upper)",
          "task-s",
          "heap upper",
          "heap",
          "after-GC upper",
          "after-GC");
      List<Row> stages =
          sql.sql(
                  "SELECT signature, resource_profile_id, sum(executor_run_time_ms) / 1000D,"
                      + " max(executor_peak_jvm_heap_bytes) / 1073741824D,"
                      + " max(executor_peak_heap_after_gc_bytes) / 1073741824D FROM foresight.stages"
                      + " WHERE app_id = '"
                      + plannedApp
                      + "' GROUP BY signature, resource_profile_id ORDER BY min(stage_id)")
              .collectAsList();
      for (Row r : stages) {
        Map<String, double[]> p = predicted.getOrDefault(r.getString(0), Map.of());
        double[] w = p.get(Target.EXECUTOR_SECONDS.column());
        System.out.printf(
            Locale.ROOT,
            "  %-16s %-8s %18s %8.1f %11s %9s %13s %9s%n",
            r.getString(0),
            r.isNullAt(1) ? "-" : Integer.toString(r.getInt(1)),
            w == null || !Double.isFinite(w[0])
                ? "-"
                : String.format(Locale.ROOT, "%.1f (%.1f)", w[0], w[1]),
            r.isNullAt(2) ? 0.0 : r.getDouble(2),
            upper(p.get(Target.PEAK_HEAP_GIB.column())),
            gib(r, 3),
            upper(p.get(Target.HEAP_AFTER_GC_GIB.column())),
            gib(r, 4));
      }
      System.out.println(
          "  (GiB. heap: the executor JVM's peak heap while the stage ran; after-GC: the most a"
              + " garbage collection left then.\n   Both grow with the heap an executor is given:"
              + " 512 MiB on the eight days, the plan's below. -: not measured or not predicted)");
      RunCost reactive = cost(sql, reactiveApp);
      RunCost planned = cost(sql, plannedApp);
      System.out.println("\n  The same day, side by side");
      System.out.printf(Locale.ROOT, "  %-30s %14s %14s%n", "", "reactive DA", "Foresight");
      System.out.printf(
          Locale.ROOT,
          "  %-30s %14.1f %14.1f%n",
          "wall-clock (s)",
          reactive.wallSeconds(),
          planned.wallSeconds());
      System.out.printf(
          Locale.ROOT,
          "  %-30s %14.1f %14.1f%n",
          "executor-core-seconds",
          reactive.coreSeconds(),
          planned.coreSeconds());
      System.out.printf(
          Locale.ROOT,
          "  %-30s %14.1f %14.1f%n",
          "executor memory (GiB-seconds)",
          reactive.gibSeconds(),
          planned.gibSeconds());
      System.out.println("  results identical: " + same);
      Row plan =
          sql
              .sql(
                  "SELECT applied, profiles, default_memory_mib, reason FROM foresight.plans"
                      + " WHERE app_id = '"
                      + plannedApp
                      + "'")
              .collectAsList()
              .stream()
              .findFirst()
              .orElse(null);
      System.out.println(
          "  plan: "
              + (plan == null
                  ? "none recorded"
                  : "applied="
                      + plan.get(0)
                      + ", "
                      + plan.getInt(1)
                      + " executor shape(s), default "
                      + plan.get(2)
                      + " MiB; "
                      + plan.get(3)));
      return new Outcome(reactive, planned, same);
    } finally {
      sql.stop();
    }
  }

  /** Wall-clock, core-seconds and GiB-seconds of {@code appId}, from {@code foresight.apps}. */
  public static RunCost cost(SparkSession sql, String appId) {
    Row r =
        sql.sql(
                "SELECT (end_ms - start_ms) / 1000D, executor_core_seconds,"
                    + " executor_memory_byte_seconds / 1073741824D FROM foresight.apps"
                    + " WHERE app_id = '"
                    + appId
                    + "'")
            .first();
    return new RunCost(
        appId,
        r.isNullAt(0) ? Double.NaN : r.getDouble(0),
        r.isNullAt(1) ? Double.NaN : r.getDouble(1),
        r.isNullAt(2) ? Double.NaN : r.getDouble(2));
  }
}
