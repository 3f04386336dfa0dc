package io.foresight.forecast.model;

/**
 * The split-conformal calibration of one job-level total (wall-clock or core-seconds) of a job's
 * own scaling model: scores of the job's recent runs, each predicted by the model fitted on the
 * runs before it, divided by that model's expected error there.
 *
 * @param calibration the calibrated quantile, in units of the job model's {@link
 *     ScalingModel#width}
 * @param ownRuns whether it was taken over the job's own runs alone: they gave enough scores (39 at
 *     95 %: {@code ForecastTrainer.minimumJobScores}); otherwise over every job's (pooled)
 * @param jobs how many jobs' runs it was taken over
 */
public record JobCalibration(Calibration calibration, boolean ownRuns, int jobs) {
  /**
   * The log upper bound of a prediction {@code logPoint} of job model {@code m} at scaling features
   * {@code x}, or NaN when the calibration gives none.
   */
  public double upperLog(ScalingModel m, double[] x, double logPoint) {
    if (calibration == null || !calibration.usable()) {
      return Double.NaN;
    }
    return Math.max(logPoint, logPoint + calibration.componentOffset(m, x));
  }

  /** How the bound was made, for people: "conformal over 24 runs of this job". */
  public String describe() {
    if (calibration == null || !calibration.usable()) {
      return "";
    }
    return "conformal over "
        + calibration.n()
        + " runs of "
        + (ownRuns ? "this job" : jobs == 1 ? "another job" : "all " + jobs + " jobs");
  }
}
