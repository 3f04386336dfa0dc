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
    SeasonalModel volumeModel,
    SeasonalModel intervalModel) {

  /** One component of the job's DAG and the components it waits for. */
  public record ComponentNode(String signature, List<String> parents) {}
}
