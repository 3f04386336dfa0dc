package io.foresight.forecast;

import java.util.List;

/**
 * One captured application with its stages, as the forecaster reads it.
 *
 * @param startMs the scheduled time when the run had one ({@code
 *     spark.foresight.job.scheduledTime}), else the start time
 * @param wallClockMs end minus start
 * @param inputBytes the run's input volume, see {@link #inputVolume}
 * @param listedInputBytes the size its input paths had when it was submitted ({@code
 *     spark.foresight.input.bytes}, which the plugin sets by listing {@code
 *     spark.foresight.input.paths}); 0 when not known. It relates what a coming run's listing finds
 *     to the volume the models take: a job scanning a table twice, or part of it, reads more or
 *     less than its input paths hold
 */
public record AppRun(
    String appId,
    String jobKey,
    long startMs,
    long wallClockMs,
    long inputBytes,
    int executorCores,
    int executors,
    List<StageRow> stages,
    long listedInputBytes) {

  public static final double GIB = 1024.0 * 1024 * 1024;

  /** A run whose input size at submission is not known. */
  public AppRun(
      String appId,
      String jobKey,
      long startMs,
      long wallClockMs,
      long inputBytes,
      int executorCores,
      int executors,
      List<StageRow> stages) {
    this(appId, jobKey, startMs, wallClockMs, inputBytes, executorCores, executors, stages, 0);
  }

  public double listedInputGib() {
    return listedInputBytes / GIB;
  }

  /**
   * A run's input volume: when any stage knows the size of the files it scanned, the sum of the
   * stages' volumes ({@link StageRow#volumeBytes()}); otherwise the application's input bytes
   * (histories captured before the {@code files_read_bytes} column, imported logs without SQL
   * metrics).
   */
  public static long inputVolume(long appInputBytes, List<StageRow> stages) {
    long sum = 0;
    boolean files = false;
    for (StageRow s : stages) {
      files |= s.filesReadBytes() > 0;
      sum += s.volumeBytes();
    }
    return files ? sum : appInputBytes;
  }

  public double inputGib() {
    return inputBytes / GIB;
  }

  /**
   * Whether any stage ran on GPU executors. Such a run's times are not what the job takes on CPU:
   * the CPU models leave them out, and they measure GPU speed-ups instead.
   */
  public boolean onGpu() {
    return stages.stream().anyMatch(s -> s.gpus() > 0);
  }

  public RunContext context() {
    return new RunContext(inputGib(), Math.max(1, executorCores), Math.max(1, executors), startMs);
  }
}
