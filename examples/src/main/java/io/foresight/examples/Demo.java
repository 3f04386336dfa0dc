package io.foresight.examples;

import io.foresight.cli.LocalHistorySession;
import io.foresight.history.HistoryLocation;
import io.foresight.spark.ForesightConf;
import io.foresight.spark.ForesightPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/foresight demo}: runs a recurring ETL job on four "days" of TPC-H data of different
 * sizes, each run a separate Spark application with Foresight capturing into the embedded local
 * history, then prints what was recorded, with SQL over {@code foresight.*}. Then, on an embedded
 * standalone cluster, plans a recurring job from its captured history and compares the planned run
 * with Spark's reactive dynamic allocation ({@link PlannedVsReactive}).
 *
 * <p>Options: {@code --history DIR} (default: the embedded history), {@code --work DIR} (input and
 * output data, default {@code ~/.foresight/demo}), {@code --runs N} (default 4), {@code
 * --no-cluster} (skip the cluster part).
 */
public final class Demo {
  static final String JOB_NAME = "nightly-revenue-etl";

  private Demo() {}

  static final String USAGE =
      "usage: bin/foresight demo [--history DIR] [--work DIR] [--runs N] [--no-cluster]";

  /** The command's options, with the defaults of the class comment. */
  record Options(String history, Path work, int runs, boolean cluster) {

    /** Reads {@code argv}; a bad option throws an IllegalArgumentException that names it. */
    static Options parse(String[] argv) {
      String history = ForesightConf.expandHome(ForesightConf.HISTORY_PATH.defaultText());
      Path work = Path.of(System.getProperty("user.home"), ".foresight", "demo");
      int runs = 4;
      boolean cluster = true;
      CommandArgs args = new CommandArgs(argv);
      while (args.hasNext()) {
        String o = args.option();
        switch (o) {
          case "--history" -> history = args.text(o);
          case "--work" -> work = args.path(o);
          case "--runs" -> runs = args.whole(o, 1);
          case "--no-cluster" -> cluster = false;
          default -> throw new IllegalArgumentException("unknown option " + o);
        }
      }
      return new Options(history, work, runs, cluster);
    }
  }

  public static void main(String[] argv) throws Exception {
    if (CommandArgs.wantsHelp(argv)) {
      System.out.println(USAGE);
      return;
    }
    Options o;
    try {
      o = Options.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("foresight demo: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    run(o.history(), o.work(), o.runs(), o.cluster());
  }

  static void run(String history, Path work, int runs, boolean cluster) throws Exception {
    Files.createDirectories(work);
    System.out.println("Foresight demo");
    System.out.println("  history (Delta tables): " + history);
    System.out.println("  data and spool:          " + work);
    LocalDate firstDay = LocalDate.of(2026, 11, 1);
    double[] scales = {0.01, 0.02, 0.015, 0.03, 0.025, 0.012, 0.018};

    System.out.println("\n[1/4] Generating " + runs + " days of TPC-H input (io.trino.tpch)...");
    SparkSession prep = session("foresight-demo-prepare", work, null).getOrCreate();
    prep.sparkContext().setLogLevel("WARN");
    for (int d = 0; d < runs; d++) {
      Path input = work.resolve("input").resolve(firstDay.plusDays(d).toString());
      if (!Files.exists(input.resolve("parquet/lineitem/_SUCCESS"))) {
        RecurringEtlJob.prepareInput(prep, input, scales[d % scales.length]);
      }
    }
    prep.stop();

    System.out.println("\n[2/4] Running the recurring job " + runs + " times with Foresight on...");
    for (int d = 0; d < runs; d++) {
      LocalDate day = firstDay.plusDays(d);
      Path input = work.resolve("input").resolve(day.toString());
      SparkSession spark =
          session(JOB_NAME + " " + day, work, history)
              .config("spark.plugins", ForesightPlugin.class.getName())
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      long t0 = System.nanoTime();
      long rows = RecurringEtlJob.run(spark, input, work.resolve("output").resolve(day.toString()));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      spark.stop();
      System.out.printf(
          "  %s  scale %.3f  %d result rows  %d ms  capture: %s%n",
          day, scales[d % scales.length], rows, ms, ForesightPlugin.lastCaptureStats());
    }

    System.out.println("\n[3/4] What Foresight recorded (SQL over foresight.*):");
    SparkSession sql = LocalHistorySession.start("foresight-demo-report", history);
    try {
      for (String q : REPORT) {
        System.out.println("\n> " + q);
        sql.sql(q).show(40, false);
      }
    } finally {
      sql.stop();
    }
    if (cluster) {
      System.out.println(
          "\n[4/4] Planning on an embedded standalone cluster: "
              + PlannedVsReactive.JOB
              + " runs "
              + CLUSTER_DAYS
              + " days on static executors (1 and 2 on alternate days), then the next day with"
              + " reactive dynamic allocation"
              + " and with Foresight's plan...");
      PlannedVsReactive.run(work, history, CLUSTER_DAYS);
    }
    String defaultHistory = ForesightConf.expandHome(ForesightConf.HISTORY_PATH.defaultText());
    String option =
        HistoryLocation.of(history).equals(HistoryLocation.of(defaultHistory))
            ? ""
            : " --history '" + history.replace("'", "'\\''") + "'";
    System.out.println(
        "\nQuery it yourself: bin/foresight sql \"SELECT * FROM foresight.stages LIMIT 10\""
            + option);
    if (cluster) {
      System.out.println("Predictions against what the runs did: bin/foresight accuracy" + option);
    }
  }

  /** Days of history the cluster part captures before planning. */
  static final int CLUSTER_DAYS = 8;

  static final List<String> REPORT =
      List.of(
          "SELECT job_key, app_id, status, round((end_ms - start_ms) / 1000.0, 1) AS seconds,"
              + " stage_count, task_count, input_bytes FROM foresight.apps"
              + " WHERE job_key LIKE '"
              + JOB_NAME
              + "%' ORDER BY start_ms",
          "SELECT s.signature, count(*) AS runs,"
              + " min(s.input_bytes + s.shuffle_read_bytes) AS min_bytes_in,"
              + " max(s.input_bytes + s.shuffle_read_bytes) AS max_bytes_in,"
              + " round(avg(s.executor_run_time_ms)) AS avg_run_ms,"
              + " max(s.peak_execution_memory_bytes) AS peak_exec_mem,"
              + " first(s.input_formats) AS formats, max(s.join_count) AS joins,"
              + " max(s.aggregate_count) AS aggs, max(s.window_count) AS windows,"
              // Under adaptive execution a stage's name is a thread pool's call site; its
              // operators say what it runs.
              + " first(s.operators, true) AS operators"
              + " FROM foresight.stages s JOIN foresight.apps a"
              + " ON s.app_id = a.app_id AND s.attempt_id = a.attempt_id"
              + " WHERE a.job_key LIKE '"
              + JOB_NAME
              + "%' GROUP BY s.signature ORDER BY min(s.stage_id)");

  static SparkSession.Builder session(String name, Path work, String history) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .appName(name)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.warehouse.dir", work.resolve("warehouse").toString());
    if (history != null) {
      b.config("spark.foresight.history.path", history)
          .config("spark.foresight.spool.dir", work.resolve("spool").toString());
    }
    return b;
  }
}
