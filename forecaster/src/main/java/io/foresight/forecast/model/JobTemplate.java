package io.foresight.forecast.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A recurring job as the history saw it: its component DAGs (for the planner and the critical-path
 * estimate), its usual executor shape, and seasonal models of its input volume and of the time
 * between runs.
 *
 * <p>A job's plan can depend on its input: adaptive query execution turns a sort-merge join into a
 * broadcast join below a size, and the stages then differ. {@link #choosePlan} gives the DAG that
 * runs of a similar volume had.
 *
 * @param components the DAG of the newest run
 * @param overheadSeconds median of wall-clock minus critical-path time: driver start, planning,
 *     scheduling gaps, job-level serial work
 * @param runStartsMs start (or scheduled) times of the runs in the training data, ascending
 * @param inputGib input volume of those runs, same order
 * @param slots task slots (executors at once times cores) of those runs, same order, 0 for runs on
 *     GPU executors; empty in models written before it was recorded
 * @param scaling job-level scaling models ({@code job_wall_clock_seconds}, {@code
 *     job_core_seconds}) of {@code ln(seconds)} on the scaling features, when the job had enough
 *     runs; empty otherwise
 * @param plans the distinct DAGs its runs had, in the order first seen; empty in models written
 *     before it was recorded
 * @param runPlans index into {@code plans} of each run's DAG, same order as {@code inputGib}; -1
 *     for a run whose DAG was not kept
 * @param calibration the conformal calibration of each of the {@code scaling} models' upper bound,
 *     by the same keys; empty in models written before it was kept, and for a total that no job had
 *     enough runs to calibrate (its bound is then built from the stage bounds)
 * @param listedGib the size each run's input paths had at submission, same order as {@code
 *     inputGib}; 0 for a run that did not say; empty in models written before it was recorded
 */
public record JobTemplate(
    String jobKey,
    int runs,
    String lastAppId,
    List<ComponentNode> components,
    int executorCores,
    int executors,
    double overheadSeconds,
    List<Long> runStartsMs,
    List<Double> inputGib,
    List<Integer> slots,
    SeasonalModel volumeModel,
    SeasonalModel intervalModel,
    Map<String, ScalingModel> scaling,
    List<Plan> plans,
    List<Integer> runPlans,
    Map<String, JobCalibration> calibration,
    List<Double> listedGib) {

  public static final String WALL_CLOCK = "job_wall_clock_seconds";
  public static final String CORE_SECONDS = "job_core_seconds";

  /** How many of the runs nearest in input volume choose the DAG of a coming run. */
  static final int PLAN_NEIGHBOURS = 3;

  /**
   * How far back, before the newest run, runs count for that choice: a weekly cycle and a day, so
   * that a plan the job no longer runs (its code changed) stops being chosen after a week.
   */
  static final long PLAN_WINDOW_MS = 8L * 24 * 3600 * 1000;

  public JobTemplate {
    slots = slots == null ? List.of() : List.copyOf(slots);
    plans = plans == null ? List.of() : List.copyOf(plans);
    runPlans = runPlans == null ? List.of() : List.copyOf(runPlans);
    calibration = calibration == null ? Map.of() : Map.copyOf(calibration);
    listedGib = listedGib == null ? List.of() : List.copyOf(listedGib);
  }

  /** How many of the newest runs that listed their input relate a listing to a volume. */
  static final int LISTED_RUNS = 10;

  /**
   * The volume the models take per GiB of listed input, over the newest {@value #LISTED_RUNS} runs
   * that listed it: its median and largest ratio, and how many runs.
   */
  public record VolumePerListed(double median, double max, int runs) {}

  /** See {@link VolumePerListed}; null when no run listed its input. */
  public VolumePerListed volumePerListed() {
    if (listedGib.size() != inputGib.size()) {
      return null;
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = listedGib.size() - 1; i >= 0 && ratios.size() < LISTED_RUNS; i--) {
      double listed = listedGib.get(i);
      double volume = inputGib.get(i);
      if (listed > 0 && volume > 0) {
        ratios.add(volume / listed);
      }
    }
    if (ratios.isEmpty()) {
      return null;
    }
    ratios.sort(null);
    int n = ratios.size();
    double median =
        n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
    return new VolumePerListed(median, ratios.get(n - 1), n);
  }

  /**
   * The choice of the DAG a run reading {@code volumeGib} is expected to have, with what it was
   * made from.
   *
   * @param components the chosen DAG
   * @param plan its index in {@link #plans}, -1 when the newest run's DAG was taken without a vote
   * @param neighbourGib the input volumes of the runs that voted, nearest first
   */
  public record PlanChoice(List<ComponentNode> components, int plan, List<Double> neighbourGib) {}

  /**
   * The DAG a run reading {@code volumeGib} is expected to have: the one most of the {@value
   * #PLAN_NEIGHBOURS} runs nearest in (log) input volume had, among the runs of the {@link
   * #PLAN_WINDOW_MS window} before the newest run. A tie goes to the nearest run's DAG, equal
   * distances to the newer run. With one DAG, or in a model that did not record them, it is {@link
   * #components}.
   */
  public PlanChoice choosePlan(double volumeGib) {
    int n = runPlans.size();
    if (plans.size() < 2
        || n != inputGib.size()
        || n != runStartsMs.size()
        || !Double.isFinite(volumeGib)) {
      return new PlanChoice(components, -1, List.of());
    }
    long from = runStartsMs.get(n - 1) - PLAN_WINDOW_MS;
    double at = logVolume(volumeGib);
    List<Integer> recent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int plan = runPlans.get(i);
      if ((runStartsMs.get(i) >= from || i == n - 1) && plan >= 0 && plan < plans.size()) {
        recent.add(i);
      }
    }
    recent.sort(
        Comparator.<Integer>comparingDouble(i -> Math.abs(logVolume(inputGib.get(i)) - at))
            .thenComparing(Comparator.<Integer>reverseOrder()));
    Map<Integer, Integer> votes = new HashMap<>();
    List<Double> voters = new ArrayList<>();
    int best = -1;
    for (int i : recent.subList(0, Math.min(PLAN_NEIGHBOURS, recent.size()))) {
      int plan = runPlans.get(i);
      voters.add(inputGib.get(i));
      int v = votes.merge(plan, 1, Integer::sum);
      if (best < 0 || v > votes.get(best)) {
        best = plan;
      }
    }
    return best < 0
        ? new PlanChoice(components, -1, List.of())
        : new PlanChoice(plans.get(best).components(), best, voters);
  }

  /** ln(GiB) as the features take the input volume ({@code Features.logInput}). */
  private static double logVolume(double gib) {
    return Math.log(Math.max(0, gib) + 1e-3);
  }

  /** ln(seconds) as the job-level models use it. */
  public static double toLog(double seconds) {
    return Math.log(Math.max(0, seconds) + 0.05);
  }

  public static double fromLog(double v) {
    return Math.max(0, Math.exp(v) - 0.05);
  }

  /** This job with job-level scaling models {@code s} and their calibrations {@code c}. */
  public JobTemplate withScaling(Map<String, ScalingModel> s, Map<String, JobCalibration> c) {
    return new JobTemplate(
        jobKey,
        runs,
        lastAppId,
        components,
        executorCores,
        executors,
        overheadSeconds,
        runStartsMs,
        inputGib,
        slots,
        volumeModel,
        intervalModel,
        s,
        plans,
        runPlans,
        c,
        listedGib);
  }

  /** One component of the job's DAG and the components it waits for. */
  public record ComponentNode(String signature, List<String> parents) {}

  /** One DAG the job's runs had. */
  public record Plan(List<ComponentNode> components) {
    public Plan {
      components = components == null ? List.of() : List.copyOf(components);
    }
  }
}
