package io.foresight.history;

import java.util.Map;

/** One application attempt; a new revision is written at start, on updates and at the end. */
@Doc("One row per application attempt and revision; the view keeps the latest revision.")
public record AppRecord(
    @Doc("Layout version of this row") int schemaVersion,
    @Doc("Spark application id") String appId,
    @Doc("Attempt id (YARN/Kubernetes), empty string when the cluster manager has none")
        String attemptId,
    @Doc(
            "One capture session or one import of a log; the views show each application"
                + " attempt's latest ingest, so a re-import replaces earlier rows")
        String ingestId,
    @Doc("Application name (spark.app.name)") String name,
    @Doc("User who ran the application") String user,
    @Doc("Spark version") String sparkVersion,
    @Doc("Master URL (spark.master)") String master,
    @Doc("client or cluster") String deployMode,
    @Doc("Main class, when known") String mainClass,
    @Doc("Stable identifier of a recurring job (see docs/HISTORY-SCHEMA.md#job-key)") String jobKey,
    @Doc("Start time, epoch ms") Long startMs,
    @Doc("End time, epoch ms; null while running") Long endMs,
    @Doc("RUNNING, SUCCEEDED, FAILED or INCOMPLETE (ended without an application-end event)")
        String status,
    @Doc("Resource-relevant Spark conf, redacted with Spark's redaction rules")
        Map<String, String> conf,
    @Doc("Sum over executors of cores x seconds alive") Double executorCoreSeconds,
    @Doc("Sum over executors of profile memory bytes x seconds alive")
        Double executorMemoryByteSeconds,
    @Doc("Most executors alive at one time") Integer maxConcurrentExecutors,
    @Doc("Jobs started") Integer jobCount,
    @Doc("Stage attempts completed") Integer stageCount,
    @Doc("Tasks ended") Long taskCount,
    @Doc("Input bytes read by all stages") Long inputBytes,
    @Doc("Increases with every row written for this attempt") int revision,
    @Doc("live (captured by the plugin) or eventlog (imported)") String source,
    @Doc("Event log path for imported rows, else null") String sourcePath,
    @Doc("When the row was written, epoch ms") long recordedMs)
    implements HistoryRecord {
  @Override
  public HistoryTable table() {
    return HistoryTable.APPS;
  }
}
