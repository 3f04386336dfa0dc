package io.foresight.cli;

import io.foresight.config.ValueType;
import io.foresight.forecast.AppRun;
import io.foresight.forecast.Backtest;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import io.foresight.forecast.Estimate;
import io.foresight.forecast.ForecastTrainer;
import io.foresight.forecast.HistoryReader;
import io.foresight.forecast.ModelStore;
import io.foresight.forecast.OnlineStats;
import io.foresight.forecast.PredictionLog;
import io.foresight.forecast.StageForecast;
import io.foresight.forecast.Target;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.forecast.model.TargetModel;
import io.foresight.spark.InputListing;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code bin/foresight train | predict | backtest | accuracy}. */
final class ForecastCommands {
  private ForecastCommands() {}

  static int train(ForesightCli.Args args, PrintStream out, PrintStream err) throws Exception {
    ForecastTrainer.Options options = ForecastTrainer.Options.defaults();
    int keep;
    try {
      if (args.option("--quantile") != null) {
        double q = Double.parseDouble(args.option("--quantile"));
        if (!(q > 0.5 && q < 1)) {
          throw new IllegalArgumentException("--quantile expects a number in (0.5, 1), e.g. 0.95");
        }
        options = options.withQuantile(q);
      }
      if (args.option("--min-runs") != null) {
        options = options.withMinRuns(positive(args, "--min-runs"));
      }
      keep = args.option("--keep") == null ? ModelStore.DEFAULT_KEEP : positive(args, "--keep");
    } catch (NumberFormatException e) {
      err.println("foresight train: --quantile expects a number in (0.5, 1), e.g. 0.95");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("foresight train: " + e.getMessage());
      return 2;
    }
    if (LocalHistorySession.refuseMissing("train", args.history, err)) {
      return 1;
    }
    SparkSession spark = LocalHistorySession.start("foresight-train", args.history);
    try {
      List<AppRun> runs = HistoryReader.read(spark, args.history);
      if (runs.isEmpty()) {
        err.println(
            "foresight train: the history at "
                + args.history
                + " has no succeeded application with a job key; capture or import runs first");
        return 1;
      }
      long t0 = System.nanoTime();
      ForecastModel model;
      try {
        model =
            new ForecastTrainer(spark, options)
                .train(
                    runs,
                    HistoryReader.tableVersions(spark, args.history),
                    System.currentTimeMillis());
      } catch (IllegalArgumentException e) {
        err.println("foresight train: " + e.getMessage());
        return 1;
      }
      ModelStore store = ModelStore.of(args.history, spark.sparkContext().hadoopConfiguration());
      String file = store.save(model);
      out.printf(
          "Trained model %s on %d applications (%d jobs, %d components) in %.1f s%n",
          model.version(),
          runs.size(),
          model.jobs().size(),
          model.components().size(),
          (System.nanoTime() - t0) / 1e9);
      out.println("Saved " + file);
      try {
        List<String> removed = store.prune(keep);
        if (!removed.isEmpty()) {
          out.printf(
              "Deleted %d older model version(s) (--keep %d): %s%n",
              removed.size(), keep, String.join(", ", removed));
        }
      } catch (IOException e) {
        err.println(
            "foresight train: the model is saved, but older versions could not all be deleted: "
                + e.getMessage());
      }
      List<String[]> rows = new ArrayList<>();
      for (Map.Entry<String, TargetModel> e : model.targets().entrySet()) {
        TargetModel t = e.getValue();
        rows.add(
            new String[] {
              e.getKey(),
              fmt(t.heldOutMetrics().get("component_heldout_mape")),
              String.valueOf(t.componentCalibration().n()),
              fmt(t.heldOutMetrics().get("global_heldout_mape")),
              String.valueOf(t.globalCalibration().n())
            });
      }
      out.print(
          TextTable.renderCells(
              new String[] {
                "target", "component_mape_%", "component_n", "global_mape_%", "global_n"
              },
              rows));
      return 0;
    } finally {
      spark.stop();
    }
  }

  static int predict(ForesightCli.Args args, PrintStream out, PrintStream err) throws Exception {
    DemandRequest req = request(args, err, "predict");
    if (req == null) {
      return 2;
    }
    DemandForecaster forecaster = ForecastCommands.forecaster(args, req.jobKey());
    DemandForecast f = forecaster.forecast(req);
    if (args.json) {
      out.println(CliJson.line(f));
    } else {
      print(f, out);
      noteSharedKey(req.jobKey(), out);
    }
    if (!args.noRecord && forecaster.model() != null) {
      PredictionLog.write(
          args.history,
          f,
          forecaster.model().quantile(),
          args.option("--run-id"),
          "cli",
          System.currentTimeMillis());
    }
    return f.stages().isEmpty() ? 1 : 0;
  }

  /**
   * The model {@code predict} and {@code plan} forecast {@code jobKey} with: the version {@code
   * --version} names, read whole; else the latest, of which only the job's parts are read, as the
   * plugin does (the forecasts are the same; a history of many jobs answers in a third of the
   * time).
   */
  static DemandForecaster forecaster(ForesightCli.Args args, String jobKey) {
    String version = args.option("--version");
    return version == null
        ? DemandForecaster.openForJob(args.history, jobKey)
        : DemandForecaster.open(args.history, version);
  }

  /** The ways to give the input volume; at most one per command. */
  static final List<String> INPUT_OPTIONS = List.of("--input-gib", "--input-bytes", "--input");

  /**
   * The request the options describe; null (after an error message naming the option and what it
   * expects) when they are wrong. The input volume comes from one of {@link #INPUT_OPTIONS}; the
   * run's start from {@code --at} or its synonym {@code --start}, in the forms of {@code
   * spark.foresight.job.scheduledTime} ({@link HistoryReader#scheduledTime}).
   */
  static DemandRequest request(ForesightCli.Args args, PrintStream err, String command) {
    String job = args.option("--job");
    if (job == null) {
      err.println("foresight " + command + ": --job KEY is required (see foresight.apps.job_key)");
      return null;
    }
    List<String> inputs = INPUT_OPTIONS.stream().filter(o -> args.option(o) != null).toList();
    if (inputs.size() > 1) {
      err.println(
          "foresight "
              + command
              + ": give the input volume once, got "
              + String.join(" and ", inputs)
              + " (--input-gib X, --input-bytes N or --input PATH)");
      return null;
    }
    if (args.option("--at") != null && args.option("--start") != null) {
      err.println("foresight " + command + ": give the run's start once, --at or --start");
      return null;
    }
    DemandRequest req = DemandRequest.of(job);
    try {
      if (args.option("--input-gib") != null) {
        req = req.withInputGib(inputGib(args.option("--input-gib")));
      } else if (args.option("--input-bytes") != null) {
        req = req.withInputGib(inputBytes(args.option("--input-bytes")) / GIB);
      } else if (args.option("--input") != null) {
        req = req.withListedInputGib(listedGib(args.option("--input")));
      }
      String at = args.option("--at") != null ? "--at" : "--start";
      if (args.option(at) != null) {
        long ms = HistoryReader.scheduledTime(args.option(at), Long.MIN_VALUE);
        if (ms == Long.MIN_VALUE) {
          throw new IllegalArgumentException(
              at
                  + " expects "
                  + HistoryReader.SCHEDULED_TIME_FORMS
                  + ", got '"
                  + args.option(at)
                  + "'");
        }
        req = req.withStartMs(ms);
      }
      if (args.option("--executors") != null || args.option("--cores") != null) {
        req =
            new DemandRequest(
                req.jobKey(),
                req.inputGib(),
                req.startMs(),
                args.option("--cores") == null ? null : positive(args, "--cores"),
                args.option("--executors") == null ? null : positive(args, "--executors"));
      }
    } catch (IllegalArgumentException | IOException e) {
      err.println("foresight " + command + ": " + e.getMessage());
      return null;
    }
    return req;
  }

  private static final double GIB = 1024.0 * 1024 * 1024;

  private static double inputGib(String value) {
    try {
      double gib = Double.parseDouble(value);
      if (gib >= 0 && !Double.isInfinite(gib)) {
        return gib;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException(
        "--input-gib expects a number of GiB >= 0, e.g. 12.5, got '" + value + "'");
  }

  private static long inputBytes(String value) {
    try {
      return ValueType.bytes(0, Long.MAX_VALUE).parser().apply(value.trim());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "--input-bytes expects a byte count >= 0 or a size, e.g. 13421772800 or 12g, got '"
              + value
              + "'");
    }
  }

  static int backtest(ForesightCli.Args args, PrintStream out, PrintStream err) throws Exception {
    Backtest.Options o = Backtest.Options.defaults();
    try {
      int minTrain =
          args.option("--min-train-runs") == null
              ? o.minTrainRuns()
              : positive(args, "--min-train-runs");
      int every =
          args.option("--retrain-every") == null
              ? o.retrainEvery()
              : positive(args, "--retrain-every");
      o = new Backtest.Options(minTrain, every, o.trainer());
    } catch (IllegalArgumentException e) {
      err.println("foresight backtest: " + e.getMessage());
      return 2;
    }
    if (LocalHistorySession.refuseMissing("backtest", args.history, err)) {
      return 1;
    }
    SparkSession spark = LocalHistorySession.start("foresight-backtest", args.history);
    try {
      List<AppRun> runs = HistoryReader.read(spark, args.history);
      String job = args.option("--job");
      if (job != null) {
        runs = runs.stream().filter(r -> r.jobKey().equals(job)).toList();
      }
      if (runs.size() <= o.minTrainRuns()) {
        err.printf(
            "foresight backtest: %d run(s) in the history%s; more than --min-train-runs %d are"
                + " needed%n",
            runs.size(), job == null ? "" : " for job " + job, o.minTrainRuns());
        return 1;
      }
      long t0 = System.nanoTime();
      Backtest.Report r = Backtest.run(spark, runs, o);
      out.printf(
          "Backtest: %d runs predicted (%d trainings, first %d runs for training only) in %.0f s%n",
          r.runs().size(), r.trainings(), o.minTrainRuns(), (System.nanoTime() - t0) / 1e9);
      List<String[]> rows = new ArrayList<>();
      rows.add(
          row("stage executor-seconds MAPE, stages >= 1 s", r.stageExecutorSecondsMape(1.0), "%"));
      rows.add(
          row(
              "stage executor-seconds MAPE, stages usually >= 1 s",
              r.usualStageExecutorSecondsMape(1.0),
              "%"));
      rows.add(row("stage executor-seconds MAPE, all stages", r.stageExecutorSecondsMape(0), "%"));
      rows.add(
          row("stage executor-seconds WAPE (work-weighted)", r.stageExecutorSecondsWape(), "%"));
      rows.add(row("job wall-clock MAPE", r.wallClockMape(), "%"));
      rows.add(row("job wall-clock upper bound coverage", r.wallClockCoverage(), "%"));
      rows.add(row("job wall-clock median over-provision", r.wallClockMedianOverProvision(), "%"));
      rows.add(
          new String[] {
            "job wall-clock bounds calibrated on job runs (conformal)",
            r.conformalWallClockBounds() + " of " + r.runs().size() + " runs"
          });
      rows.add(row("job core-seconds MAPE", r.coreSecondsMape(), "%"));
      rows.add(row("job core-seconds upper bound coverage", r.coreSecondsCoverage(), "%"));
      rows.add(
          row("job core-seconds median over-provision", r.coreSecondsMedianOverProvision(), "%"));
      rows.add(row("peak heap upper bound coverage", r.peakHeapCoverage(), "%"));
      rows.add(row("peak heap median over-provision", r.peakHeapMedianOverProvision(), "%"));
      rows.add(
          row("peak execution memory upper bound coverage", r.peakExecutionMemoryCoverage(), "%"));
      rows.add(
          row(
              "peak execution memory median over-provision",
              r.peakExecutionMemoryMedianOverProvision(),
              "%"));
      rows.add(row("heap after collection upper bound coverage", r.heapAfterGcCoverage(), "%"));
      rows.add(
          row(
              "heap after collection median over-provision",
              r.heapAfterGcMedianOverProvision(),
              "%"));
      rows.add(row("shuffle write MAPE, stages that wrote", r.shuffleWriteMape(), "%"));
      rows.add(row("shuffle write upper bound coverage", r.shuffleWriteCoverage(), "%"));
      rows.add(
          row("shuffle write median over-provision", r.shuffleWriteMedianOverProvision(), "%"));
      rows.add(
          row(
              "spill upper bound coverage, stages that spilled (" + r.spilledStages() + ")",
              r.spillCoverage(),
              "%"));
      rows.add(new String[] {"stage predictions", String.valueOf(r.stages().size())});
      out.print(TextTable.renderCells(new String[] {"metric", "value"}, rows));
      if (args.json) {
        for (Backtest.RunResult run : r.runs()) {
          out.println(CliJson.line(run));
        }
        for (Backtest.StageResult stage : r.stages()) {
          out.println(CliJson.line(stage));
        }
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  static int accuracy(ForesightCli.Args args, PrintStream out, PrintStream err) throws Exception {
    if (LocalHistorySession.refuseMissing("accuracy", args.history, err)) {
      return 1;
    }
    SparkSession spark = LocalHistorySession.start("foresight-accuracy", args.history);
    try {
      List<Row> rows =
          spark
              .sql(
                  "SELECT target, count(*) AS n,"
                      + " round(100 * avg(abs_pct_error), 1) AS mape_pct,"
                      + " round(100 * avg(CAST(covered AS INT)), 1) AS coverage_pct,"
                      + " round(100 * percentile(over_provision, 0.5), 1) AS median_over_provision_pct"
                      + " FROM foresight.prediction_accuracy WHERE point IS NOT NULL"
                      + " GROUP BY target ORDER BY target")
              .collectAsList();
      out.println("Predictions joined with captured runs (foresight.prediction_accuracy):");
      out.print(
          TextTable.render(
              new String[] {"target", "n", "mape_%", "coverage_%", "median_over_provision_%"},
              rows));
      if (rows.isEmpty()) {
        long recorded = spark.sql("SELECT count(*) FROM foresight.predictions").first().getLong(0);
        out.println(
            "None yet: "
                + recorded
                + " prediction row(s) recorded, but none of a run captured since. A prediction is"
                + " joined by its application id: the plugin's, made when it plans a run at"
                + " start-up, and `predict --run-id APP`'s.");
      }
      DemandForecaster f = DemandForecaster.open(args.history);
      if (f.model() == null) {
        out.println("No model: " + f.problem());
        return 0;
      }
      out.println("Model " + f.modelVersion() + "; recent wall-clock error per job (online):");
      List<String[]> jobs = new ArrayList<>();
      for (Map.Entry<String, OnlineStats.JobEntry> e : f.stats().jobs().entrySet()) {
        jobs.add(
            new String[] {
              e.getKey(),
              String.valueOf(e.getValue().recentAbsLogErrors().size()),
              fmt(100 * (Math.exp(e.getValue().recentError()) - 1)),
              f.drifting(e.getKey()) ? "STALE (retrain)" : "ok"
            });
      }
      out.print(
          TextTable.renderCells(
              new String[] {"job_key", "recent_runs", "recent_error_%", "model"}, jobs));
      if (jobs.isEmpty()) {
        out.println(
            "None yet: the plugin folds each run it captures into its job's statistics; no run"
                + " has been captured since this model was trained.");
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** Says that the plugin does not plan runs under {@code jobKey}, when it does not. */
  static void noteSharedKey(String jobKey, PrintStream out) {
    String why = io.foresight.capture.JobKeys.sharedKey(jobKey);
    if (why != null) {
      out.println(
          "Note: the plugin does not plan runs under this key: it is "
              + why
              + ", whose runs are unrelated sessions. spark.foresight.job.id gives a notebook"
              + " or shell job a key of its own.");
    }
  }

  private static void print(DemandForecast f, PrintStream out) {
    out.printf(
        "Job %s  model %s  confidence %s%s%n",
        f.jobKey(),
        f.modelVersion().isEmpty() ? "-" : f.modelVersion(),
        f.confidence(),
        f.reason() == null || f.reason().isEmpty() ? "" : " (" + f.reason() + ")");
    if (f.stages().isEmpty()) {
      return;
    }
    out.printf(
        "Input %.3f GiB (%s); %d executors x %d cores%n",
        f.inputGib().point(), f.inputGib().reason(), f.executors(), f.executorCores());
    List<String[]> job = new ArrayList<>();
    job.add(estimate("core-seconds", f.coreSeconds(), "s", f.coreSecondsBound()));
    job.add(estimate("wall-clock", f.wallClockSeconds(), "s", f.wallClockBound()));
    job.add(estimate("peak executor heap", f.peakHeapGib(), "GiB", "largest stage bound"));
    job.add(
        new String[] {
          "useful executors",
          f.usefulExecutors() > 0 ? String.valueOf(f.usefulExecutors()) : "-",
          "",
          "",
          ""
        });
    if (f.nextStartMs().present()) {
      job.add(
          new String[] {
            "next start",
            Instant.ofEpochMilli((long) f.nextStartMs().point()).toString(),
            Instant.ofEpochMilli((long) f.nextStartMs().upper()).toString(),
            "",
            "seasonal"
          });
    }
    out.print(
        TextTable.renderCells(new String[] {"job", "point", "upper", "unit", "upper bound"}, job));
    if (!f.usefulExecutorsReason().isEmpty()) {
      out.printf(
          "Useful executors held to %d: %s%n", f.usefulExecutors(), f.usefulExecutorsReason());
    }
    if (!f.planChoice().isEmpty()) {
      out.printf("Stages: %s%n", f.planChoice());
    }
    List<String[]> stages = new ArrayList<>();
    for (StageForecast s : f.stages()) {
      Estimate w = s.get(Target.EXECUTOR_SECONDS);
      Estimate d = s.get(Target.STAGE_SECONDS);
      Estimate h = s.get(Target.PEAK_HEAP_GIB);
      stages.add(
          new String[] {
            s.signature(),
            trim(s.name(), 48),
            String.join(
                ",",
                s.parents().stream().map(p -> p.substring(0, Math.min(6, p.length()))).toList()),
            fmt(w.point()),
            fmt(w.upper()),
            fmt(d.point()),
            fmt(h.upper()),
            s.memoryCeilingMibPerCore() > 0
                ? String.valueOf(Math.round(s.memoryCeilingMibPerCore()))
                : "-",
            s.model(),
            w.confidence().name()
          });
    }
    out.print(
        TextTable.renderCells(
            new String[] {
              "signature",
              "stage",
              "parents",
              "exec_s",
              "exec_s_upper",
              "stage_s",
              "heap_gib_upper",
              "proven_mib_per_core",
              "model",
              "confidence"
            },
            stages));
  }

  private static String[] estimate(String what, Estimate e, String unit, String bound) {
    return new String[] {what, fmt(e.point()), fmt(e.upper()), unit, bound};
  }

  private static String[] row(String what, double v, String unit) {
    return new String[] {what, Double.isNaN(v) ? "n/a" : String.format("%.1f %s", v, unit)};
  }

  private static String fmt(Double v) {
    if (v == null || v.isNaN()) {
      return "-";
    }
    return Math.abs(v) >= 100 ? String.format("%.0f", v) : String.format("%.3g", v);
  }

  private static String trim(String s, int n) {
    return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static int positive(ForesightCli.Args args, String option) {
    try {
      int v = Integer.parseInt(args.option(option));
      if (v < 1) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " expects a whole number >= 1, got '" + args.option(option) + "'");
    }
  }

  /**
   * The size of the input paths {@code paths} (comma-separated; local paths, Hadoop URIs or globs),
   * in GiB, as the plugin lists {@code spark.foresight.input.paths}.
   */
  static double listedGib(String paths) throws IOException {
    try {
      return InputListing.list(InputListing.split(paths), new Configuration()).bytes() / AppRun.GIB;
    } catch (IOException e) {
      throw new IOException("--input: " + e.getMessage(), e);
    }
  }
}
