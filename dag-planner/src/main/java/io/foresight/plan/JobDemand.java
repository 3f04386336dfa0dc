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
 */
public record JobDemand(
    String jobKey,
    String modelVersion,
    boolean confident,
    String reason,
    int baseCores,
    int baseMemoryMib,
    int usefulExecutors,
    List<StageDemand> stages) {}
