package io.foresight.plan;

import java.util.List;

/**
 * What the planner knows of one stage before it runs: its predicted work and memory, and what it
 * does. NaN means not predicted.
 *
 * @param key the stage signature
 * @param executorSeconds predicted task time (executor-seconds), point
 * @param executorSecondsUpper its calibrated upper bound
 * @param heapGibUpper upper bound of the largest executor JVM heap while the stage runs, at {@code
 *     baseCores} cores per executor
 * @param taskMemoryGibUpper upper bound of the largest task's peak execution memory
 * @param confident whether the stage's predictions may be acted on
 * @param operators normalised operator kinds ({@code Join}, {@code Aggregate}, {@code Sort}, {@code
 *     Window}, {@code Scan parquet}, {@code Udf} ...)
 * @param spillGibUpper upper bound of the bytes the stage spills to disk, all tasks together: a
 *     stage that spilled needed more memory than it had, so its measured peaks understate the need
 * @param memoryCeilingMibPerCore executor memory per core that the stage's own runs showed to be
 *     enough at this volume (no memory pressure: no spill while the memory manager was near full,
 *     no heap peak near the executor's memory); 0 when there is no such evidence. The need never
 *     exceeds it: a heap peak grows with the heap a JVM is given, so a bound above what sufficed is
 *     not evidence of a larger need.
 */
public record StageDemand(
    String key,
    String name,
    int numTasks,
    double executorSeconds,
    double executorSecondsUpper,
    double heapGibUpper,
    double taskMemoryGibUpper,
    boolean confident,
    List<String> operators,
    double spillGibUpper,
    double memoryCeilingMibPerCore) {

  /** A stage without a memory ceiling. */
  public StageDemand(
      String key,
      String name,
      int numTasks,
      double executorSeconds,
      double executorSecondsUpper,
      double heapGibUpper,
      double taskMemoryGibUpper,
      boolean confident,
      List<String> operators,
      double spillGibUpper) {
    this(
        key,
        name,
        numTasks,
        executorSeconds,
        executorSecondsUpper,
        heapGibUpper,
        taskMemoryGibUpper,
        confident,
        operators,
        spillGibUpper,
        0);
  }

  /** A stage without a spill prediction. */
  public StageDemand(
      String key,
      String name,
      int numTasks,
      double executorSeconds,
      double executorSecondsUpper,
      double heapGibUpper,
      double taskMemoryGibUpper,
      boolean confident,
      List<String> operators) {
    this(
        key,
        name,
        numTasks,
        executorSeconds,
        executorSecondsUpper,
        heapGibUpper,
        taskMemoryGibUpper,
        confident,
        operators,
        Double.NaN);
  }
}
