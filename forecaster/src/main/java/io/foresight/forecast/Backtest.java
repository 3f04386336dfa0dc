package io.foresight.forecast;

import io.foresight.forecast.model.ForecastModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.SparkSession;

/**
 * Time-ordered backtest: for each run {@code t} after the first {@code minTrainRuns}, predict it
 * from a model trained only on runs before {@code t} (retrained every {@code retrainEvery} runs,
 * with the online statistics folding in every run in between, as in production), then compare with
 * what run {@code t} did. The run's input volume is given (as at submission, by listing its input).
 */
public final class Backtest {
  /** Backtest settings. */
  public record Options(int minTrainRuns, int retrainEvery, ForecastTrainer.Options trainer) {
    public static Options defaults() {
      return new Options(12, 4, ForecastTrainer.Options.defaults());
    }
  }

  /**
   * One predicted component of one run. {@code executorSecondsUsual} is the median work of the
   * component's earlier CPU runs (NaN when it has none): known before the run, unlike its actual.
   */
  public record StageResult(
      String appId,
      String signature,
      String confidence,
      double executorSecondsPredicted,
      double executorSecondsActual,
      double executorSecondsUsual,
      double peakHeapUpper,
      double peakHeapActual,
      double peakExecutionMemoryUpper,
      double peakExecutionMemoryActual,
      double heapAfterGcUpper,
      double heapAfterGcActual,
      double shuffleWritePredicted,
      double shuffleWriteUpper,
      double shuffleWriteActual,
      double spillUpper,
      double spillActual) {}

  /**
   * One predicted run. {@code wallClockBound} and {@code coreSecondsBound} say how each upper bound
   * was made ({@link DemandForecast#wallClockBound}).
   */
  public record RunResult(
      String appId,
      String jobKey,
      String confidence,
      double inputGib,
      double wallClockPredicted,
      double wallClockUpper,
      double wallClockActual,
      String wallClockBound,
      double coreSecondsPredicted,
      double coreSecondsUpper,
      double coreSecondsActual,
      String coreSecondsBound) {}

  /** Everything the backtest measured. */
  public record Report(List<RunResult> runs, List<StageResult> stages, int trainings) {
    /**
     * MAPE over the stages whose actual work was at least {@code minActualSeconds}. Choosing by the
     * outcome favours runs that noise pushed up: a stage that usually does 0.8 s counts only when
     * it did more, and then its prediction is low. See {@link #usualStageExecutorSecondsMape}.
     */
    public double stageExecutorSecondsMape(double minActualSeconds) {
      return mape(
          stages.stream()
              .filter(s -> s.executorSecondsActual() >= minActualSeconds)
              .map(s -> new double[] {s.executorSecondsPredicted(), s.executorSecondsActual()})
              .toList());
    }

    /**
     * MAPE over the stages whose earlier runs did at least {@code minUsualSeconds} of work at the
     * median: a choice made before the run, so that the noise of the scored run cannot select it.
     * Stages that did no work are left out (no relative error exists).
     */
    public double usualStageExecutorSecondsMape(double minUsualSeconds) {
      return mape(
          stages.stream()
              .filter(
                  s -> s.executorSecondsUsual() >= minUsualSeconds && s.executorSecondsActual() > 0)
              .map(s -> new double[] {s.executorSecondsPredicted(), s.executorSecondsActual()})
              .toList());
    }

    /** Total absolute error over total actual work (large stages weigh more). */
    public double stageExecutorSecondsWape() {
      double err = 0;
      double sum = 0;
      for (StageResult s : stages) {
        err += Math.abs(s.executorSecondsPredicted() - s.executorSecondsActual());
        sum += s.executorSecondsActual();
      }
      return sum == 0 ? Double.NaN : 100 * err / sum;
    }

    public double wallClockMape() {
      return mape(
          runs.stream()
              .map(r -> new double[] {r.wallClockPredicted(), r.wallClockActual()})
              .toList());
    }

    /** Share of runs whose wall-clock is at or under its predicted upper bound, in percent. */
    public double wallClockCoverage() {
      return coverage(runs, RunResult::wallClockUpper, RunResult::wallClockActual);
    }

    /** Median of wall-clock upper bound / actual - 1 over the runs with a bound, in percent. */
    public double wallClockMedianOverProvision() {
      return medianOverProvision(runs, RunResult::wallClockUpper, RunResult::wallClockActual);
    }

    /** Share of runs whose core-seconds are at or under their predicted upper bound, in percent. */
    public double coreSecondsCoverage() {
      return coverage(runs, RunResult::coreSecondsUpper, RunResult::coreSecondsActual);
    }

    /** Median of core-seconds upper bound / actual - 1 over the runs with a bound, in percent. */
    public double coreSecondsMedianOverProvision() {
      return medianOverProvision(runs, RunResult::coreSecondsUpper, RunResult::coreSecondsActual);
    }

    /**
     * How many runs had a wall-clock bound calibrated on job runs (conformal), rather than one
     * built from the stage bounds.
     */
    public long conformalWallClockBounds() {
      return runs.stream().filter(r -> r.wallClockBound().startsWith("conformal")).count();
    }

    public double coreSecondsMape() {
      return mape(
          runs.stream()
              .map(r -> new double[] {r.coreSecondsPredicted(), r.coreSecondsActual()})
              .toList());
    }

    /** Share of stages whose peak heap is at or under the predicted upper bound, in percent. */
    public double peakHeapCoverage() {
      return coverage(stages, StageResult::peakHeapUpper, StageResult::peakHeapActual);
    }

    /** Median of upper bound / actual - 1 over stages with a heap measurement, in percent. */
    public double peakHeapMedianOverProvision() {
      return medianOverProvision(stages, StageResult::peakHeapUpper, StageResult::peakHeapActual);
    }

    /** As {@link #peakHeapCoverage()}, for the largest task's execution memory. */
    public double peakExecutionMemoryCoverage() {
      return coverage(
          stages, StageResult::peakExecutionMemoryUpper, StageResult::peakExecutionMemoryActual);
    }

    /** As {@link #peakHeapMedianOverProvision()}, for the largest task's execution memory. */
    public double peakExecutionMemoryMedianOverProvision() {
      return medianOverProvision(
          stages, StageResult::peakExecutionMemoryUpper, StageResult::peakExecutionMemoryActual);
    }

    /** As {@link #peakHeapCoverage()}, for the heap a collection left. */
    public double heapAfterGcCoverage() {
      return coverage(stages, StageResult::heapAfterGcUpper, StageResult::heapAfterGcActual);
    }

    /** As {@link #peakHeapMedianOverProvision()}, for the heap a collection left. */
    public double heapAfterGcMedianOverProvision() {
      return medianOverProvision(
          stages, StageResult::heapAfterGcUpper, StageResult::heapAfterGcActual);
    }

    /** MAPE of the shuffle bytes written, over the stages that wrote some. */
    public double shuffleWriteMape() {
      return mape(
          stages.stream()
              .filter(s -> s.shuffleWriteActual() > 0 && Double.isFinite(s.shuffleWritePredicted()))
              .map(s -> new double[] {s.shuffleWritePredicted(), s.shuffleWriteActual()})
              .toList());
    }

    /** As {@link #peakHeapCoverage()}, for the shuffle bytes written. */
    public double shuffleWriteCoverage() {
      return coverage(stages, StageResult::shuffleWriteUpper, StageResult::shuffleWriteActual);
    }

    /** As {@link #peakHeapMedianOverProvision()}, for the shuffle bytes written. */
    public double shuffleWriteMedianOverProvision() {
      return medianOverProvision(
          stages, StageResult::shuffleWriteUpper, StageResult::shuffleWriteActual);
    }

    /** As {@link #peakHeapCoverage()}, for the bytes spilled: over the stages that spilled. */
    public double spillCoverage() {
      return coverage(stages, StageResult::spillUpper, StageResult::spillActual);
    }

    /** How many scored stage runs spilled at all (the runs {@link #spillCoverage} is over). */
    public long spilledStages() {
      return stages.stream().filter(s -> s.spillActual() > 0).count();
    }

    /**
     * Share of rows with a bound and a measured use (above 0: a stage that used none is covered by
     * any bound and says nothing) whose use is at or under the bound, in percent.
     */
    private static <T> double coverage(
        List<T> rows, ToDoubleFunction<T> upper, ToDoubleFunction<T> actual) {
      long bounded = 0;
      long covered = 0;
      for (T row : rows) {
        double u = upper.applyAsDouble(row);
        double a = actual.applyAsDouble(row);
        if (!Double.isNaN(u) && a > 0) {
          bounded++;
          covered += a <= u ? 1 : 0;
        }
      }
      return bounded == 0 ? Double.NaN : 100.0 * covered / bounded;
    }

    /** Median of upper bound / actual - 1, in percent, over rows with a finite bound and a use. */
    private static <T> double medianOverProvision(
        List<T> rows, ToDoubleFunction<T> upper, ToDoubleFunction<T> actual) {
      double[] over =
          rows.stream()
              .filter(r -> Double.isFinite(upper.applyAsDouble(r)) && actual.applyAsDouble(r) > 0)
              .mapToDouble(r -> 100 * (upper.applyAsDouble(r) / actual.applyAsDouble(r) - 1))
              .toArray();
      return over.length == 0 ? Double.NaN : ForecastTrainer.median(over);
    }

    private static double mape(List<double[]> pairs) {
      return pairs.isEmpty()
          ? Double.NaN
          : 100 * pairs.stream().mapToDouble(p -> Math.abs(p[0] - p[1]) / p[1]).average().orElse(0);
    }
  }

  private Backtest() {}

  public static Report run(SparkSession spark, List<AppRun> runs, Options options) {
    List<RunResult> runResults = new ArrayList<>();
    List<StageResult> stageResults = new ArrayList<>();
    DemandForecaster forecaster = null;
    int trainings = 0;
    int sinceTraining = 0;
    Map<String, List<Double>> earlierWork = new HashMap<>();
    for (int t = 0; t < Math.min(options.minTrainRuns(), runs.size()); t++) {
      addWork(earlierWork, runs.get(t), ComponentRun.of(runs.get(t)));
    }
    for (int t = options.minTrainRuns(); t < runs.size(); t++) {
      if (forecaster == null || sinceTraining >= options.retrainEvery()) {
        ForecastModel model =
            new ForecastTrainer(spark, options.trainer())
                .train(runs.subList(0, t), Map.of(), runs.get(t - 1).startMs());
        forecaster = DemandForecaster.of(model);
        trainings++;
        sinceTraining = 0;
      }
      AppRun run = runs.get(t);
      List<ComponentRun> components = ComponentRun.of(run);
      RunContext ctx = run.context();
      DemandForecast f =
          forecaster.forecast(
              new DemandRequest(
                  run.jobKey(),
                  run.inputGib(),
                  run.startMs(),
                  ctx.executorCores(),
                  ctx.executors()));
      // Forecasts are for CPU executors: a run on GPU executors trains (its speed-ups) but is not
      // scored against them.
      if (!f.stages().isEmpty() && !run.onGpu()) {
        Map<String, StageForecast> bySig = new HashMap<>();
        f.stages().forEach(s -> bySig.put(s.signature(), s));
        double core = 0;
        for (ComponentRun c : components) {
          core += c.labels().get(Target.EXECUTOR_SECONDS);
          StageForecast s = bySig.get(c.signature());
          if (s == null || !s.get(Target.EXECUTOR_SECONDS).present()) {
            continue;
          }
          stageResults.add(
              new StageResult(
                  run.appId(),
                  c.signature(),
                  s.get(Target.EXECUTOR_SECONDS).confidence().name(),
                  s.get(Target.EXECUTOR_SECONDS).point(),
                  c.labels().get(Target.EXECUTOR_SECONDS),
                  usualWork(earlierWork, c.signature()),
                  s.get(Target.PEAK_HEAP_GIB).upper(),
                  c.labels().get(Target.PEAK_HEAP_GIB),
                  s.get(Target.PEAK_EXECUTION_MEMORY_GIB).upper(),
                  c.labels().get(Target.PEAK_EXECUTION_MEMORY_GIB),
                  s.get(Target.HEAP_AFTER_GC_GIB).upper(),
                  c.labels().get(Target.HEAP_AFTER_GC_GIB),
                  s.get(Target.SHUFFLE_WRITE_GIB).point(),
                  s.get(Target.SHUFFLE_WRITE_GIB).upper(),
                  c.labels().get(Target.SHUFFLE_WRITE_GIB),
                  s.get(Target.SPILL_GIB).upper(),
                  c.labels().get(Target.SPILL_GIB)));
        }
        runResults.add(
            new RunResult(
                run.appId(),
                run.jobKey(),
                f.confidence().name(),
                run.inputGib(),
                f.wallClockSeconds().point(),
                f.wallClockSeconds().upper(),
                run.wallClockMs() / 1000.0,
                f.wallClockBound(),
                f.coreSeconds().point(),
                f.coreSeconds().upper(),
                core,
                f.coreSecondsBound()));
      }
      forecaster.useStats(OnlineStats.fold(forecaster.stats(), forecaster, run));
      addWork(earlierWork, run, components);
      sinceTraining++;
    }
    return new Report(runResults, stageResults, trainings);
  }

  private static void addWork(
      Map<String, List<Double>> work, AppRun run, List<ComponentRun> components) {
    if (run.onGpu()) {
      return;
    }
    for (ComponentRun c : components) {
      Double seconds = c.labels().get(Target.EXECUTOR_SECONDS);
      if (seconds != null && !seconds.isNaN()) {
        work.computeIfAbsent(c.signature(), k -> new ArrayList<>()).add(seconds);
      }
    }
  }

  private static double usualWork(Map<String, List<Double>> work, String signature) {
    List<Double> earlier = work.get(signature);
    return earlier == null
        ? Double.NaN
        : ForecastTrainer.median(earlier.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
