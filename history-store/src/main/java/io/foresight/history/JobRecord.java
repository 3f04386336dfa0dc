package io.foresight.history;

import java.util.List;

/** One Spark job, written when it ends. */
@Doc("One row per Spark job, written when the job ends.")
public record JobRecord(
    @Doc("Layout version of this row") int schemaVersion,
    @Doc("Spark application id") String appId,
    @Doc("Attempt id, empty string when none") String attemptId,
    @Doc(
            "One capture session or one import of a log; the views show each application"
                + " attempt's latest ingest, so a re-import replaces earlier rows")
        String ingestId,
    @Doc("Job id") int jobId,
    @Doc("Ids of the stages of the job, skipped ones included") List<Integer> stageIds,
    @Doc("SQL execution id (spark.sql.execution.id), null for RDD jobs") Long sqlExecutionId,
    @Doc("Job group, redacted") String jobGroup,
    @Doc("Submission time, epoch ms") Long submissionMs,
    @Doc("Completion time, epoch ms") Long completionMs,
    @Doc("SUCCEEDED, FAILED, or UNFINISHED (the application or its log ended first)") String result,
    @Doc("Failure message, redacted; null when the job succeeded") String failureReason,
    @Doc("Input bytes read by the stages this job ran") Long inputBytes,
    @Doc("live or eventlog") String source,
    @Doc("Event log path for imported rows, else null") String sourcePath,
    @Doc("When the row was written, epoch ms") long recordedMs)
    implements HistoryRecord {
  @Override
  public HistoryTable table() {
    return HistoryTable.JOBS;
  }
}
