package io.foresight.examples.bench;

import io.foresight.forecast.AppRun;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import io.foresight.forecast.ForecastTrainer;
import io.foresight.forecast.ModelStore;
import io.foresight.forecast.OnlineStats;
import io.foresight.forecast.StageRow;
import io.foresight.forecast.model.ForecastModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Forecaster benchmarks ({@code bin/foresight bench-forecast}):
 *
 * <ul>
 *   <li>{@code train --stage-rows N [--stages-per-job S]}: MLlib training time on N synthetic stage
 *       rows (jobs of S stages), in memory, local[2];
 *   <li>{@code model --out DIR [--jobs N]}: trains and saves a model of N (default 1) 50-stage jobs
 *       for the next mode, which predicts the first;
 *   <li>{@code predict --history DIR [--whole]}: in a fresh JVM, the first prediction including the
 *       model load (the job's parts, as the plugin reads them; {@code --whole}: the whole model),
 *       then the median and p99 of 2,000 warm predictions;
 *   <li>{@code jmh --history DIR [--results FILE]}: the same two measurements with JMH ({@link
 *       PredictionJmh}): warm predictions sampled over two forks, and the first prediction once in
 *       each of ten fresh JVMs; JMH's JSON results go to FILE.
 * </ul>
 *
 * Prints one line per result; docs/BENCHMARKS.md records them with the command.
 */
public final class ForecastBenchmark {
  private ForecastBenchmark() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      usage();
    }
    String mode = argv[0];
    long rows = 10_000;
    int stagesPerJob = 50;
    String dir = null;
    String results = "jmh-forecast.json";
    int jobs = 1;
    boolean whole = false;
    for (int i = 1; i < argv.length; i++) {
      switch (argv[i]) {
        case "--stage-rows" -> rows = Long.parseLong(argv[++i]);
        case "--stages-per-job" -> stagesPerJob = Integer.parseInt(argv[++i]);
        case "--out", "--history" -> dir = argv[++i];
        case "--results" -> results = argv[++i];
        case "--jobs" -> jobs = Integer.parseInt(argv[++i]);
        case "--whole" -> whole = true;
        default -> usage();
      }
    }
    switch (mode) {
      case "train" -> train(rows, stagesPerJob);
      case "model" -> model(dir == null ? usageString() : dir, jobs);
      case "predict" -> predict(dir == null ? usageString() : dir, whole);
      case "jmh" -> jmh(dir == null ? usageString() : dir, results);
      default -> usage();
    }
  }

  private static String usageString() {
    usage();
    return null;
  }

  private static void usage() {
    System.err.println(
        "usage: bin/foresight bench-forecast train [--stage-rows N] [--stages-per-job S]\n"
            + "       bin/foresight bench-forecast model --out DIR [--jobs N]\n"
            + "       bin/foresight bench-forecast predict --history DIR [--whole]\n"
            + "       bin/foresight bench-forecast jmh --history DIR [--results FILE]");
    System.exit(2);
  }

  /** {@code runs} runs of each of {@code jobs} jobs with {@code stages} stages in a fan-in DAG. */
  static List<AppRun> synthetic(int jobs, int runs, int stages, long seed) {
    Random rnd = new Random(seed);
    List<AppRun> out = new ArrayList<>();
    long t0 = 1_767_225_600_000L;
    for (int r = 0; r < runs; r++) {
      for (int j = 0; j < jobs; j++) {
        double gib =
            (1 + j % 7)
                * (1 + 0.4 * Math.sin(2 * Math.PI * r / 6))
                * (1 + 0.1 * rnd.nextGaussian());
        gib = Math.max(0.05, gib);
        List<StageRow> rows = new ArrayList<>(stages);
        long wall = 3000;
        for (int s = 0; s < stages; s++) {
          List<Integer> parents =
              s == 0 ? List.of() : s % 5 == 0 ? List.of(s - 1, s - 5) : List.of(s - 1);
          double work = (5 + s % 9) * Math.pow(gib, 0.9) * Math.exp(0.05 * rnd.nextGaussian());
          long dur = (long) (1000 * (work / 8 + 0.2));
          wall += dur;
          rows.add(
              new StageRow(
                  s,
                  "j" + j + "-s" + s,
                  "stage " + s,
                  parents,
                  16,
                  dur,
                  (long) (work * 1000),
                  64L << 20,
                  (long) ((0.5 + 0.1 * gib) * (1L << 30)),
                  s == 0 ? (long) (gib * (1L << 30)) : 0,
                  s == 0 ? (long) (gib * (1L << 30)) : 0,
                  (long) (gib * (64L << 20)),
                  0,
                  s % 3 == 0 ? 1 : 0,
                  s % 2,
                  0,
                  1,
                  s % 4 == 0 ? 1 : 0,
                  0,
                  1,
                  s == 0 ? List.of("parquet") : List.of(),
                  0,
                  4,
                  4L << 30,
                  0,
                  (long) ((0.3 + 0.1 * gib) * (1L << 30))));
        }
        out.add(
            new AppRun(
                "app-" + j + "-" + r,
                "job-" + j,
                t0 + r * 3_600_000L + j,
                wall,
                (long) (gib * (1L << 30)),
                4,
                8,
                rows));
      }
    }
    return out;
  }

  static SparkSession spark() {
    SparkSession s =
        SparkSession.builder()
            .master("local[2]")
            .appName("foresight-bench-forecast")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  static void train(long stageRows, int stagesPerJob) {
    int runs = 30;
    int jobs = (int) Math.max(1, stageRows / ((long) runs * stagesPerJob));
    List<AppRun> data = synthetic(jobs, runs, stagesPerJob, 1);
    long actualRows = (long) jobs * runs * stagesPerJob;
    SparkSession spark = spark();
    try {
      long t0 = System.nanoTime();
      ForecastModel m =
          new ForecastTrainer(spark, ForecastTrainer.Options.defaults()).train(data, Map.of(), 0);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "train: %d stage rows (%d jobs x %d runs x %d stages), %d components: %.1f s%n",
          actualRows, jobs, runs, stagesPerJob, m.components().size(), s);
    } finally {
      spark.stop();
    }
  }

  static void model(String out, int jobs) throws Exception {
    SparkSession spark = spark();
    try {
      // 30 runs of each job to train on, and one more each that the online statistics fold, as
      // the plugin does at the end of every captured run
      List<AppRun> runs = synthetic(jobs, 31, 50, 2);
      List<AppRun> training = runs.subList(0, 30 * jobs);
      ForecastModel m =
          new ForecastTrainer(spark, ForecastTrainer.Options.defaults())
              .train(training, Map.of(), System.currentTimeMillis());
      ModelStore store = ModelStore.of(out);
      Path file = Path.of(store.save(m));
      DemandForecaster f = DemandForecaster.of(m);
      for (AppRun later : runs.subList(30 * jobs, runs.size())) {
        OnlineStats.update(store, f, later);
      }
      System.out.printf(
          "model: %s, %d jobs, %d components, %d bytes; online statistics of %d jobs%n",
          file, m.jobs().size(), m.components().size(), Files.size(file), jobs);
    } finally {
      spark.stop();
    }
  }

  static void predict(String history, boolean whole) {
    DemandRequest req = PredictionJmh.request(1.3);
    // Inside spark-submit, logging is up before Foresight runs: start it here too, outside the
    // timing. Jackson, the model classes and BLAS are loaded inside it.
    org.slf4j.LoggerFactory.getLogger(ForecastBenchmark.class).debug("logging initialised");
    long t0 = System.nanoTime();
    DemandForecaster f =
        whole
            ? DemandForecaster.open(history)
            : DemandForecaster.openForJob(history, PredictionJmh.JOB);
    double loadMs = (System.nanoTime() - t0) / 1e6;
    DemandForecast first = f.forecast(req);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    PredictionJmh.checked(first);
    for (int i = 0; i < 500; i++) {
      f.forecast(req.withInputGib(1 + i % 10 * 0.1));
    }
    int n = 2000;
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      f.forecast(req.withInputGib(1 + i % 10 * 0.1));
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "predict: 50-stage job, first prediction incl. model load (%s) %.1f ms (load %.1f ms);"
            + " warm median %.3f ms, p99 %.3f ms (%d predictions)%n",
        whole ? "whole model" : "the job's parts",
        firstMs,
        loadMs,
        ms[n / 2],
        ms[(int) (n * 0.99)],
        n);
  }

  /** Runs {@link PredictionJmh} and prints each result beside its goal. */
  static void jmh(String history, String resultFile) throws Exception {
    PredictionJmh.checkHistory(history);
    report(new Runner(jmhOptions(history, resultFile).build()).run(), System.out);
    System.out.println("JMH results: " + Path.of(resultFile).toAbsolutePath());
  }

  /**
   * {@link PredictionJmh}'s benchmarks on the model in {@code history}, JSON results to {@code
   * resultFile}; forks, warm-up and measurement as its annotations say unless the caller sets them.
   * A benchmark that throws (a model that does not forecast 50 stages) fails the run.
   */
  static ChainedOptionsBuilder jmhOptions(String history, String resultFile) {
    return new OptionsBuilder()
        .include(Pattern.quote(PredictionJmh.class.getName()) + ".*")
        .param("history", history)
        .shouldFailOnError(true)
        .result(resultFile)
        .resultFormat(ResultFormatType.JSON);
  }

  /** One line per benchmark: its statistics beside its goal. */
  static void report(Collection<RunResult> results, PrintStream out) {
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      Statistics st = r.getPrimaryResult().getStatistics();
      String unit = r.getPrimaryResult().getScoreUnit();
      if (name.endsWith("openAndForecast")) {
        out.printf(
            "jmh first prediction incl. model load (%d fresh JVMs): median %.1f, min %.1f, max %.1f"
                + " %s (goal <= 300 ms)%n",
            st.getN(), st.getPercentile(50), st.getMin(), st.getMax(), unit);
      } else {
        out.printf(
            "jmh warm prediction, %d-stage job (%d samples): median %.3f, p99 %.3f, p99.9 %.3f"
                + " %s (goal <= 20 ms)%n",
            PredictionJmh.STAGES,
            st.getN(),
            st.getPercentile(50),
            st.getPercentile(99),
            st.getPercentile(99.9),
            unit);
      }
    }
  }
}
