package io.foresight.forecast;

import java.util.List;
import java.util.SortedMap;

/**
 * The forecast of one coming run of a job. With {@code confidence == LOW} the planner must not act
 * on it; {@code reason} says why. A forecast without a model has no stages and NaN estimates.
 *
 * @param inputGib the input volume used: as given, or the seasonal forecast for the run the start
 *     time falls on (the forecast run nearest to it, counted from the last run the model was
 *     trained on), or, for a start no later than that run and near a trained run's, the volume of
 *     that run (a rerun or backfill of its date)
 * @param nextStartMs seasonal forecast of the start of the first run after the request's start
 *     time, epoch ms
 * @param coreSeconds total executor-core-seconds of task work
 * @param coreSecondsBound how {@code coreSeconds}' upper bound was made: conformal, over the job's
 *     runs (or every job's), or the sum of the stage bounds; empty without a forecast
 * @param wallClockSeconds wall-clock at the requested executor count
 * @param wallClockBound how {@code wallClockSeconds}' upper bound was made, likewise (or the job's
 *     overhead plus the critical path of the stage bounds)
 * @param wallClockByExecutors predicted wall-clock seconds by executor count; flat past the useful
 *     executors when the job's own runs showed more were no faster
 * @param usefulExecutors the executor count beyond which wall-clock improves by less than 5 %; 0
 *     when a stage has no work or duration estimate
 * @param usefulExecutorsReason empty when {@code usefulExecutors} comes from the stage DAG alone;
 *     otherwise why it is lower (the job's runs with more task slots were no faster)
 * @param peakHeapGib largest per-executor JVM heap of any stage
 * @param planChoice empty when the job's runs had one stage DAG; otherwise which of them {@code
 *     stages} follows, and the runs that chose it (a plan can depend on the input volume)
 */
public record DemandForecast(
    String jobKey,
    String modelVersion,
    Confidence confidence,
    String reason,
    int executorCores,
    int executors,
    Estimate inputGib,
    Estimate nextStartMs,
    List<StageForecast> stages,
    Estimate coreSeconds,
    String coreSecondsBound,
    Estimate wallClockSeconds,
    String wallClockBound,
    SortedMap<Integer, Double> wallClockByExecutors,
    int usefulExecutors,
    String usefulExecutorsReason,
    Estimate peakHeapGib,
    String planChoice) {

  public DemandForecast {
    planChoice = planChoice == null ? "" : planChoice;
    coreSecondsBound = coreSecondsBound == null ? "" : coreSecondsBound;
    wallClockBound = wallClockBound == null ? "" : wallClockBound;
  }

  static DemandForecast unavailable(String jobKey, String modelVersion, String reason) {
    Estimate none = Estimate.none(reason);
    return new DemandForecast(
        jobKey,
        modelVersion,
        Confidence.LOW,
        reason,
        0,
        0,
        none,
        none,
        List.of(),
        none,
        "",
        none,
        "",
        new java.util.TreeMap<>(),
        0,
        "",
        none,
        "");
  }

  public boolean actionable() {
    return confidence != Confidence.LOW;
  }
}
