package io.foresight.examples.bench;

import io.foresight.cli.ForesightCli;
import io.foresight.cli.LocalHistorySession;
import io.foresight.examples.EmbeddedCluster;
import io.foresight.examples.FanOutRollupJob;
import io.foresight.examples.PlannedVsReactive;
import io.foresight.examples.SkewedMemoryJob;
import io.foresight.examples.TpchTables;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import io.foresight.plan.JobDemand;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ProfilePlanner;
import io.foresight.plan.ResourcePlan;
import io.foresight.plan.StageDemand;
import io.foresight.spark.ForesightPlugin;
import io.foresight.spark.plan.ActivePlan;
import io.foresight.spark.plan.ForesightExtensions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Four policies on an embedded standalone cluster ({@code bin/foresight bench-policies [--days N]
 * [--train-days N] [--work DIR] [--job fan-out|skewed-memory]}): the job ({@link FanOutRollupJob}
 * by default, or {@link SkewedMemoryJob} alone) first runs {@code train-days} days, alternately
 * under the static and the reactive settings below, to build the history and the models; then each
 * of {@code days} further days, with input volume varying from day to day, runs four times:
 *
 * <ul>
 *   <li><b>static</b>: 2 executors x 2 cores x 1 GiB, no dynamic allocation (a hand-picked size);
 *   <li><b>reactive</b>: the same shape with dynamic allocation (shuffle tracking, 0 to 4);
 *   <li><b>foresight</b>: the reactive settings, as the job ran before, plus {@code spark.plugins}
 *       with {@code spark.foresight.planner.override=true}: when the forecast is confident, the
 *       plugin replaces the shape and counts with its plan; when not, the run stays reactive;
 *   <li><b>oracle</b>: the plan the planner makes from that day's own actuals (the static run's
 *       stages, with the useful parallelism and its ceiling from the job's runs), applied the same
 *       way.
 * </ul>
 *
 * Prints per day and in total the executor-core-seconds, executor GiB-seconds and wall-clock of
 * each policy (from foresight.apps), and the ratios the issue sets goals for.
 */
public final class PolicyBenchmark {
  static final String JOB = "policy-bench-job";
  static final Instant FIRST = Instant.parse("2026-10-01T02:00:00Z");

  /** The reactive policy's settings; the Foresight policy starts from them too. */
  static final Map<String, String> REACTIVE =
      Map.of(
          "spark.executor.cores", "2",
          "spark.executor.memory", "1g",
          "spark.dynamicAllocation.enabled", "true",
          "spark.dynamicAllocation.shuffleTracking.enabled", "true",
          "spark.dynamicAllocation.maxExecutors", "4");

  static final double[] VOLUME = {1.0, 0.7, 0.85, 0.6, 1.0, 0.75, 0.9, 0.65, 0.95, 0.8};

  private PolicyBenchmark() {}

  record Cost(double wall, double coreSeconds, double gibSeconds) {}

  /** The recurring job the days run. */
  enum Job {
    FAN_OUT,
    SKEWED_MEMORY;

    static Job parse(String s) {
      return switch (s) {
        case "fan-out" -> FAN_OUT;
        case "skewed-memory" -> SKEWED_MEMORY;
        default ->
            throw new IllegalArgumentException(
                "--job must be fan-out or skewed-memory, not '" + s + "'");
      };
    }

    void run(SparkSession s, List<Path> files) {
      if (this == FAN_OUT) {
        FanOutRollupJob.run(s, files);
      } else {
        SkewedMemoryJob.run(s, files);
      }
    }
  }

  public static void main(String[] argv) throws Exception {
    int days = 10;
    int trainDays = 8;
    Path work = Files.createTempDirectory("foresight-policies");
    Job job = Job.FAN_OUT;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--days" -> days = Integer.parseInt(argv[++i]);
        case "--train-days" -> trainDays = Integer.parseInt(argv[++i]);
        case "--work" -> work = Path.of(argv[++i]);
        case "--job" -> job = Job.parse(argv[++i]);
        default -> {
          System.err.println(
              "usage: bench-policies [--days N] [--train-days N] [--work DIR]"
                  + " [--job fan-out|skewed-memory]");
          System.exit(2);
        }
      }
    }
    String history = work.resolve("history").toString();
    Path data = prepare(work);
    List<String> policies = List.of("static", "reactive", "foresight", "oracle");
    Map<String, double[]> totals = new LinkedHashMap<>();
    policies.forEach(p -> totals.put(p, new double[3]));
    try (EmbeddedCluster cluster = EmbeddedCluster.start(work.resolve("cluster"), 8, "8g")) {
      // The history holds the job as it ran before Foresight: under the static and the reactive
      // settings on alternate days, so the models have seen both shapes.
      for (int d = 0; d < trainDays; d++) {
        run(cluster, work, history, job, d, data, d % 2 == 0 ? "static" : "reactive");
      }
      int rc =
          ForesightCli.run(
              new String[] {"train", "--history", history, "--quantile", "0.9"},
              System.out,
              System.err);
      if (rc != 0) {
        throw new IllegalStateException("training failed: " + rc);
      }
      System.out.printf(
          Locale.ROOT,
          "%-4s %-6s %-10s %10s %12s %12s%n",
          "day",
          "volume",
          "policy",
          "wall s",
          "core-s",
          "GiB-s");
      for (int i = 0; i < days; i++) {
        int d = trainDays + i;
        Map<String, Cost> day = new LinkedHashMap<>();
        for (String p : policies) {
          String app = run(cluster, work, history, job, d, data, p);
          Cost c = cost(history, app);
          day.put(p, c);
          double[] t = totals.get(p);
          t[0] += c.wall();
          t[1] += c.coreSeconds();
          t[2] += c.gibSeconds();
          System.out.printf(
              Locale.ROOT,
              "%-4d %-6.2f %-10s %10.1f %12.1f %12.1f%n",
              d + 1,
              volume(d),
              p,
              c.wall(),
              c.coreSeconds(),
              c.gibSeconds());
        }
      }
    }
    System.out.println("TOTAL");
    for (String p : policies) {
      double[] t = totals.get(p);
      System.out.printf(
          Locale.ROOT, "  %-10s wall %.1f s, %.1f core-s, %.1f GiB-s%n", p, t[0], t[1], t[2]);
    }
    double[] f = totals.get("foresight");
    double[] r = totals.get("reactive");
    double[] o = totals.get("oracle");
    System.out.printf(
        Locale.ROOT,
        "RATIOS foresight/reactive core-s %.3f (goal <= 0.70), wall %.3f (goal <= 1.0);"
            + " foresight/oracle core-s %.3f (goal <= 1.10); GiB-s vs reactive %.3f%n",
        f[1] / r[1],
        f[0] / r[0],
        f[1] / o[1],
        f[2] / r[2]);
  }

  static double volume(int day) {
    return VOLUME[day % VOLUME.length];
  }

  /** Line items in 20 Parquet files, so a day can read a fraction of them. */
  static Path prepare(Path work) throws Exception {
    Path out = work.resolve("input").resolve("lineitem");
    if (Files.exists(out.resolve("_SUCCESS"))) {
      return out;
    }
    Path csv = work.resolve("input").resolve("csv");
    TpchTables.generateCsv(csv, 0.05);
    SparkSession prep =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    try {
      TpchTables.readCsv(prep, csv, "lineitem")
          .repartitionByRange(20, org.apache.spark.sql.functions.col("l_orderkey"))
          .write()
          .parquet(out.toString());
    } finally {
      prep.stop();
    }
    return out;
  }

  static String run(
      EmbeddedCluster cluster,
      Path work,
      String history,
      Job job,
      int day,
      Path data,
      String policy)
      throws Exception {
    SparkSession.Builder b =
        SparkSession.builder()
            .master(cluster.url())
            .appName(JOB + " " + policy)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.extraClassPath", cluster.executorClassPath())
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.plugins", ForesightPlugin.class.getName())
            .config("spark.foresight.history.path", history)
            .config("spark.foresight.spool.dir", work.resolve("spool").toString())
            .config("spark.foresight.job.id", JOB)
            .config(
                "spark.foresight.job.scheduledTime", FIRST.plus(day, ChronoUnit.DAYS).toString());
    ResourcePlan oracle = null;
    switch (policy) {
      case "train" ->
          b.config("spark.executor.cores", "2")
              .config("spark.executor.memory", "512m")
              .config("spark.cores.max", "2");
      case "static" ->
          b.config("spark.foresight.planner.mode", "observe")
              .config("spark.executor.cores", "2")
              .config("spark.executor.memory", "1g")
              .config("spark.cores.max", "4");
      case "reactive" -> {
        REACTIVE.forEach(b::config);
        b.config("spark.foresight.planner.mode", "observe");
      }
      case "foresight" -> {
        REACTIVE.forEach(b::config);
        b.config("spark.foresight.planner.override", "true");
      }
      case "oracle" -> {
        oracle = oraclePlan(history, day);
        b.config("spark.foresight.planner.mode", "observe");
        oracle.conf().forEach(b::config);
        b.config("spark.sql.extensions", ForesightExtensions.class.getName());
      }
      default -> throw new IllegalArgumentException(policy);
    }
    SparkSession s = b.getOrCreate();
    s.sparkContext().setLogLevel("ERROR");
    if (oracle != null && oracle.hasStageProfiles()) {
      ActivePlan.install(s.sparkContext(), oracle, PlannerSettings.defaults());
    }
    String app = s.sparkContext().applicationId();
    try {
      job.run(s, files(data, volume(day)));
    } finally {
      ActivePlan.uninstall(s.sparkContext());
      s.stop();
    }
    return app;
  }

  static List<Path> files(Path dir, double fraction) throws Exception {
    try (var s = Files.list(dir)) {
      List<Path> parts = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
      return parts.subList(0, Math.max(1, (int) Math.round(parts.size() * fraction)));
    }
  }

  /** The plan made from the stages this day's static run actually had. */
  static ResourcePlan oraclePlan(String history, int day) throws java.io.IOException {
    DemandForecast f =
        DemandForecaster.open(history)
            .forecast(
                DemandRequest.of(JOB).withStartMs(FIRST.plus(day, ChronoUnit.DAYS).toEpochMilli()));
    SparkSession sql = LocalHistorySession.start("policy-oracle", history);
    try {
      List<Row> rows =
          sql.sql(
                  "SELECT s.signature, sum(s.executor_run_time_ms) / 1000D,"
                      + " max(s.executor_peak_jvm_heap_bytes) / 1073741824D,"
                      + " max(s.peak_execution_memory_bytes) / 1073741824D,"
                      + " sum(s.disk_spill_bytes) / 1073741824D, max(s.num_tasks)"
                      + " FROM foresight.stages s JOIN foresight.apps a ON s.app_id = a.app_id"
                      + " WHERE a.job_key = '"
                      + JOB
                      + "' AND a.name LIKE '% static' AND a.conf['spark.foresight.job.scheduledTime'] = '"
                      + FIRST.plus(day, ChronoUnit.DAYS)
                      + "' AND s.signature IS NOT NULL GROUP BY s.signature")
              .collectAsList();
      List<StageDemand> stages = new ArrayList<>();
      for (Row r : rows) {
        double heap = r.isNullAt(2) || r.getDouble(2) <= 0 ? Double.NaN : r.getDouble(2);
        stages.add(
            new StageDemand(
                r.getString(0),
                r.getString(0),
                (int) Math.max(1, r.getInt(5)),
                r.getDouble(1),
                r.getDouble(1),
                heap,
                r.isNullAt(3) ? Double.NaN : r.getDouble(3),
                true,
                List.of(),
                r.isNullAt(4) ? Double.NaN : r.getDouble(4)));
      }
      // The day's stages are known exactly; the parallelism that pays comes from the job's runs,
      // with the same ceiling as Foresight's plan when they showed one.
      int useful = Math.max(1, f.usefulExecutors());
      boolean ceiling = !f.usefulExecutorsReason().isEmpty();
      return ProfilePlanner.plan(
          new JobDemand(
              JOB,
              "oracle",
              true,
              "",
              2,
              1024,
              useful,
              stages,
              ceiling ? useful : 0,
              f.usefulExecutorsReason()),
          PlannerSettings.defaults());
    } finally {
      sql.stop();
    }
  }

  /** What a run cost, read as the demo reads it. */
  static Cost cost(String history, String app) throws java.io.IOException {
    SparkSession sql = LocalHistorySession.start("policy-cost", history);
    try {
      PlannedVsReactive.RunCost c = PlannedVsReactive.cost(sql, app);
      return new Cost(c.wallSeconds(), c.coreSeconds(), c.gibSeconds());
    } finally {
      sql.stop();
    }
  }
}
