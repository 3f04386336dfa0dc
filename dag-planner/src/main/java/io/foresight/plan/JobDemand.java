package io.foresight.plan;

import java.util.List;

/**
 * What the planner is given for one run of a job.
 *
 * @param confident whether the job-level forecast may be acted on
 * @param reason why not, when not confident
 * @param baseCores executor cores the predictions were made for (the job's usual shape)
 * @param baseMemoryMib executor memory the application would get without a plan
 * @param usefulExecutors predicted useful parallelism in executors of {@code baseCores} (0:
 *     unknown)
 * @param executorCeiling executors of {@code baseCores} beyond which the job's own runs were no
 *     faster (0: no such measurement); the plan asks for no more
 * @param ceilingReason what showed that, for the plan's explanation
 */
public record JobDemand(
    String jobKey,
    String modelVersion,
    boolean confident,
    String reason,
    int baseCores,
    int baseMemoryMib,
    int usefulExecutors,
    List<StageDemand> stages,
    int executorCeiling,
    String ceilingReason) {

  public JobDemand {
    ceilingReason = ceilingReason == null ? "" : ceilingReason;
  }

  /** A demand without a measured executor ceiling. */
  public JobDemand(
      String jobKey,
      String modelVersion,
      boolean confident,
      String reason,
      int baseCores,
      int baseMemoryMib,
      int usefulExecutors,
      List<StageDemand> stages) {
    this(
        jobKey,
        modelVersion,
        confident,
        reason,
        baseCores,
        baseMemoryMib,
        usefulExecutors,
        stages,
        0,
        "");
  }
}
