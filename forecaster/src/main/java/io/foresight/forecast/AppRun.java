package io.foresight.forecast;

import java.util.List;

/**
 * One captured application with its stages, as the forecaster reads it.
 *
 * @param startMs the scheduled time when the run had one ({@code
 *     spark.foresight.job.scheduledTime}), else the start time
 * @param wallClockMs end minus start
 */
public record AppRun(
    String appId,
    String jobKey,
    long startMs,
    long wallClockMs,
    long inputBytes,
    int executorCores,
    int executors,
    List<StageRow> stages) {

  public static final double GIB = 1024.0 * 1024 * 1024;

  public double inputGib() {
    return inputBytes / GIB;
  }

  public RunContext context() {
    return new RunContext(inputGib(), Math.max(1, executorCores), Math.max(1, executors), startMs);
  }
}
