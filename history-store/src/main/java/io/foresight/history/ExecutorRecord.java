package io.foresight.history;

/** One executor; a revision is written when it is added and another when it is removed. */
@Doc("One row per executor and revision (added, then removed); the view keeps the latest.")
public record ExecutorRecord(
    @Doc("Layout version of this row") int schemaVersion,
    @Doc("Spark application id") String appId,
    @Doc("Attempt id, empty string when none") String attemptId,
    @Doc(
            "One capture session or one import of a log; the views show each application"
                + " attempt's latest ingest, so a re-import replaces earlier rows")
        String ingestId,
    @Doc("Executor id (driver in local mode)") String executorId,
    @Doc("Resource profile the executor was started for") Integer resourceProfileId,
    @Doc("Cores of the executor") Integer cores,
    @Doc("Executor (heap) memory of its resource profile, bytes") Long memoryBytes,
    @Doc("GPUs of the executor") Double gpus,
    @Doc("Host") String host,
    @Doc("When the executor was added, epoch ms") Long addedMs,
    @Doc("When it was removed, epoch ms; null while alive or when the log ended first")
        Long removedMs,
    @Doc("Removal reason, redacted") String removedReason,
    @Doc("1 when added, 2 when removed") int revision,
    @Doc("live or eventlog") String source,
    @Doc("Event log path for imported rows, else null") String sourcePath,
    @Doc("When the row was written, epoch ms") long recordedMs)
    implements HistoryRecord {
  @Override
  public HistoryTable table() {
    return HistoryTable.EXECUTORS;
  }
}
