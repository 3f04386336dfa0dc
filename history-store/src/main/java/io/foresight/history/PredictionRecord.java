package io.foresight.history;

/**
 * One predicted quantity, as Foresight predicted it before a run. Written to the {@code
 * predictions} table beside the history tables; {@code foresight.prediction_accuracy} joins it with
 * what the run then did.
 */
@Doc(
    "One row per predicted quantity: every job-level and stage-level target of every forecast"
        + " Foresight made. Append-only.")
public record PredictionRecord(
    @Doc("Layout version of this row") int schemaVersion,
    @Doc("Identifies the forecast the row belongs to") String forecastId,
    @Doc("Recurring job key") String jobKey,
    @Doc("Application id of the run predicted, when known") String runId,
    @Doc("When the prediction was made, epoch ms") long predictedMs,
    @Doc("Model version that made it") String modelVersion,
    @Doc("job or stage") String scope,
    @Doc("Stage signature for stage rows, null for job rows") String signature,
    @Doc(
            "Stage label for stage rows: the stage's name (call site), or for a stage adaptive"
                + " execution submitted from its thread pool, its operators (stages.operators)")
        String stageName,
    @Doc(
            "What was predicted: executor_seconds, stage_seconds, peak_heap_gib,"
                + " peak_execution_memory_gib, heap_after_gc_gib, shuffle_write_gib,"
                + " spill_gib (stage);"
                + " job_core_seconds, job_wall_clock_seconds, job_peak_heap_gib (job)")
        String target,
    @Doc("s or GiB") String unit,
    @Doc("Point estimate; null when there was no prediction") Double point,
    @Doc("Upper bound at the quantile; null when none") Double upper,
    @Doc("Nominal coverage of the upper bound") double quantile,
    @Doc("HIGH, MEDIUM or LOW") String confidence,
    @Doc("Why the confidence is not HIGH, or why there is no prediction") String reason,
    @Doc("Job input volume the prediction assumed, GiB") Double inputGib,
    @Doc("Cores per executor the prediction assumed") Integer executorCores,
    @Doc("Executors the prediction assumed") Integer executors,
    @Doc(
            "Who predicted: plugin (at the application's start, the forecast its plan came from)"
                + " or cli (bin/foresight predict and plan)")
        String source,
    @Doc("When the row was written, epoch ms") long recordedMs) {
  /** The table's folder name under the history path, and its view name under {@code foresight.}. */
  public static final String TABLE = "predictions";
}
