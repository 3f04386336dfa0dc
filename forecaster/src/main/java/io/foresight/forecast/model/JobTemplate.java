package io.foresight.forecast.model;

import java.util.List;

/**
 * A recurring job as the history last saw it: its component DAG (for the planner and the
 * critical-path estimate), its usual executor shape, and seasonal models of its input volume and of
 * the time between runs.
 *
 * @param overheadSeconds median of wall-clock minus critical-path time: driver start, planning,
 *     scheduling gaps, job-level serial work
 * @param runStartsMs start (or scheduled) times of the runs in the training data, ascending
 * @param inputGib input volume of those runs, same order
 * @param slots task slots (executors at once times cores) of those runs, same order, 0 for runs on
 *     GPU executors; empty in models written before it was recorded
 * @param scaling job-level scaling models ({@code job_wall_clock_seconds}, {@code
 *     job_core_seconds}) of {@code ln(seconds)} on the scaling features, when the job had enough
 *     runs; empty otherwise
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
    java.util.Map<String, ScalingModel> scaling) {

  public static final String WALL_CLOCK = "job_wall_clock_seconds";
  public static final String CORE_SECONDS = "job_core_seconds";

  public JobTemplate {
    slots = slots == null ? List.of() : List.copyOf(slots);
  }

  /** ln(seconds) as the job-level models use it. */
  public static double toLog(double seconds) {
    return Math.log(Math.max(0, seconds) + 0.05);
  }

  public static double fromLog(double v) {
    return Math.max(0, Math.exp(v) - 0.05);
  }

  public JobTemplate withScaling(java.util.Map<String, ScalingModel> s) {
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
        s);
  }

  /** One component of the job's DAG and the components it waits for. */
  public record ComponentNode(String signature, List<String> parents) {}
}
