package io.foresight.forecast;

import java.util.List;

/**
 * The columns of one {@code foresight.stages} row the forecaster uses. Built from a Spark row when
 * training and from a captured {@code StageRecord} for the online update.
 *
 * @param parentStageIds the stages whose shuffle this stage read ({@code producer_stage_ids}), or
 *     in a history that predates that column, Spark's parent ids (which name skipped stages under
 *     adaptive query execution, so that such a history's stages have no parents)
 * @param inputBytes bytes read from input sources, as the tasks count them
 * @param filesReadBytes size of the files the stage's file scans selected; 0 when unknown
 * @param gpus GPUs per executor of the stage's resource profile; 0 on CPU executors
 * @param executorCores cores per executor of the stage's resource profile; 0 when unknown
 * @param executorMemoryBytes executor (heap) memory of the stage's resource profile; 0 when unknown
 *     or when the executors were not JVMs of their own (local mode: the heap is the driver's)
 * @param executorPeakUnifiedMemoryBytes the most execution and storage memory Spark's memory
 *     manager had granted on an executor while the stage ran; 0 when not measured
 * @param executorPeakHeapAfterGcBytes the most heap a garbage collection left on an executor while
 *     the stage ran; 0 when no collection ran or it was not measured
 */
public record StageRow(
    int stageId,
    String signature,
    String name,
    List<Integer> parentStageIds,
    int numTasks,
    long durationMs,
    long executorRunTimeMs,
    long peakExecutionMemoryBytes,
    long executorPeakJvmHeapBytes,
    long inputBytes,
    long filesReadBytes,
    long shuffleWriteBytes,
    long spillBytes,
    int joins,
    int aggregates,
    int windows,
    int exchanges,
    int sorts,
    int udfs,
    int schemaDepth,
    List<String> formats,
    double gpus,
    int executorCores,
    long executorMemoryBytes,
    long executorPeakUnifiedMemoryBytes,
    long executorPeakHeapAfterGcBytes) {

  /**
   * The stage's input volume: the size of the files it scans when known, which is what listing the
   * input finds, else the bytes its tasks counted (Spark 4.1 counts only part of a vectorised
   * Parquet read).
   */
  public long volumeBytes() {
    return filesReadBytes > 0 ? filesReadBytes : inputBytes;
  }
}
