package io.foresight.history;

import java.util.List;

/** One stage attempt, written when it completes (successfully or not). */
@Doc("One row per stage attempt, written when the attempt completes.")
public record StageRecord(
    @Doc("Layout version of this row") int schemaVersion,
    @Doc("Spark application id") String appId,
    @Doc("Attempt id, empty string when none") String attemptId,
    @Doc(
            "One capture session or one import of a log; the views show each application"
                + " attempt's latest ingest, so a re-import replaces earlier rows")
        String ingestId,
    @Doc("First job that ran this stage attempt") Integer jobId,
    @Doc("Stage id") int stageId,
    @Doc("Stage attempt id") int stageAttemptId,
    @Doc("Stage name (the call site)") String name,
    @Doc(
            "What the stage runs, in data-flow order (an operator after its inputs): for SQL"
                + " stages the plan operators in the stage's part of the plan, code-generation,"
                + " query-stage and Foresight profile wrappers left out (an exchange appears in the stage that writes it"
                + " and in the one that reads it); for RDD stages the operations that made its RDDs"
                + " (textFile, map, ...), consecutive RDDs of one operation name listed once. Under"
                + " adaptive execution the name is a thread pool's call site, and this says what"
                + " the stage is. Null when the history table predates the column")
        List<String> operators,
    @Doc("COMPLETE or FAILED") String status,
    @Doc("Failure reason, redacted; null when complete") String failureReason,
    @Doc("Tasks in the stage attempt") int numTasks,
    @Doc("Tasks that ended successfully") Integer completedTasks,
    @Doc("Task attempts that failed") Integer failedTasks,
    @Doc("Task attempts that were killed") Integer killedTasks,
    @Doc("Submission time, epoch ms") Long submissionMs,
    @Doc("Completion time, epoch ms") Long completionMs,
    @Doc("completion - submission, ms") Long durationMs,
    @Doc("Sum of task executor run time, ms") Long executorRunTimeMs,
    @Doc("Sum of task executor CPU time, ms") Long executorCpuTimeMs,
    @Doc("Sum of task JVM GC time, ms") Long jvmGcTimeMs,
    @Doc("Peak execution memory of the largest task, bytes") Long peakExecutionMemoryBytes,
    @Doc("Bytes read from input sources") Long inputBytes,
    @Doc("Records read from input sources") Long inputRecords,
    @Doc(
            "Size on disk of the files the stage's file scans selected (their \"size of files"
                + " read\" SQL metric): the input volume as listing the input finds it. Null when"
                + " the stage has no file scan, or the history table predates the column")
        Long filesReadBytes,
    @Doc("Bytes written to output") Long outputBytes,
    @Doc("Records written to output") Long outputRecords,
    @Doc("Shuffle bytes read, local + remote") Long shuffleReadBytes,
    @Doc("Shuffle records read") Long shuffleReadRecords,
    @Doc("Shuffle bytes written") Long shuffleWriteBytes,
    @Doc("Shuffle records written") Long shuffleWriteRecords,
    @Doc("Bytes spilled, in-memory size") Long memorySpillBytes,
    @Doc("Bytes spilled, on-disk size") Long diskSpillBytes,
    @Doc("Median duration of successful tasks, ms") Long taskDurationP50Ms,
    @Doc("95th percentile duration of successful tasks, ms") Long taskDurationP95Ms,
    @Doc("Longest successful task, ms") Long taskDurationMaxMs,
    @Doc("Resource profile id the stage ran with") Integer resourceProfileId,
    @Doc("Executor cores of that profile") Integer profileExecutorCores,
    @Doc("Executor memory of that profile, bytes") Long profileExecutorMemoryBytes,
    @Doc("Executor GPUs of that profile") Double profileExecutorGpus,
    @Doc("Highest JVM heap used on an executor while running this stage, bytes")
        Long executorPeakJvmHeapBytes,
    @Doc("Highest JVM off-heap used on an executor while running this stage, bytes")
        Long executorPeakOffHeapBytes,
    @Doc("Highest process-tree RSS of an executor JVM while running this stage, bytes")
        Long executorPeakRssBytes,
    @Doc(
            "Highest execution memory Spark's memory manager had granted on an executor (on and off"
                + " heap) while running this stage, bytes")
        Long executorPeakExecutionMemoryBytes,
    @Doc(
            "Highest execution and storage memory together (Spark's unified region, on and off"
                + " heap) on an executor while running this stage, bytes")
        Long executorPeakUnifiedMemoryBytes,
    @Doc(
            "Most heap a garbage collection left on an executor while running this stage, bytes"
                + " (live capture on executors with the plugin; null when no collection ran)")
        Long executorPeakHeapAfterGcBytes,
    @Doc("Stable hash of the logical stage (see docs/HISTORY-SCHEMA.md#stage-signature)")
        String signature,
    @Doc("Parent stage ids, as Spark names them (skipped stages included)")
        List<Integer> parentStageIds,
    @Doc(
            "Stages that wrote the data this stage read: its parent stages, each parent Spark"
                + " skipped (its shuffle already written by an earlier job, as with adaptive query"
                + " execution) replaced by the stage that ran and wrote it, a parent that matches"
                + " no stage that ran kept; for SQL stages, also the stages that built the"
                + " broadcasts and subquery results it read. Null when the history table predates"
                + " the column")
        List<Integer> producerStageIds,
    @Doc("SQL execution id, null for RDD jobs") Long sqlExecutionId,
    @Doc(
            "Input formats read by the stage: parquet, csv, json, orc, delta, jdbc, text, avro,"
                + " in-memory, range")
        List<String> inputFormats,
    @Doc("Join operators in the stage's part of the plan") Integer joinCount,
    @Doc("Aggregate operators in the stage's part of the plan") Integer aggregateCount,
    @Doc("Window operators in the stage's part of the plan") Integer windowCount,
    @Doc("Exchanges the stage reads or writes") Integer exchangeCount,
    @Doc("Sort operators in the stage's part of the plan") Integer sortCount,
    @Doc("User-defined functions evaluated in the stage") Integer udfCount,
    @Doc("Deepest nesting of the schemas the stage scans (a flat schema is 1)")
        Integer inputSchemaDepth,
    @Doc("live or eventlog") String source,
    @Doc("Event log path for imported rows, else null") String sourcePath,
    @Doc("When the row was written, epoch ms") long recordedMs)
    implements HistoryRecord {
  @Override
  public HistoryTable table() {
    return HistoryTable.STAGES;
  }
}
