package io.foresight.forecast;

import java.util.List;

/**
 * The columns of one {@code foresight.stages} row the forecaster uses. Built from a Spark row when
 * training and from a captured {@code StageRecord} for the online update.
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
    long shuffleWriteBytes,
    long spillBytes,
    int joins,
    int aggregates,
    int windows,
    int exchanges,
    int sorts,
    int udfs,
    int schemaDepth,
    List<String> formats) {}
