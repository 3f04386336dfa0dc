package io.foresight.forecast.model;

import java.util.List;
import java.util.Map;

/**
 * One trained model version: everything a prediction needs, with no SparkSession and no access to
 * the history tables. Stored as {@code <history>/models/<version>/model.json}.
 *
 * @param formatVersion layout of this file; a reader refuses versions it does not know
 * @param trainingData where the training data came from: table versions and row counts
 * @param features names of the global model's features, in vector order
 * @param quantile the nominal coverage of every upper bound
 * @param minRuns runs a component or job needs for a confident prediction
 */
public record ForecastModel(
    int formatVersion,
    String version,
    long createdMs,
    Map<String, Long> trainingData,
    List<String> features,
    double quantile,
    int minRuns,
    Map<String, TargetModel> targets,
    Map<String, ComponentModel> components,
    Map<String, JobTemplate> jobs) {

  /**
   * The format this version writes. Format 2 added the component models' spreads ({@link
   * ScalingModel#width}), the unit of their calibrated quantiles.
   */
  public static final int FORMAT_VERSION = 2;

  /**
   * The oldest format this version reads. A format-1 model has no spreads: its component models
   * have width 1 and its calibration is in plain log units, so it predicts as it did when written.
   */
  public static final int OLDEST_READABLE_FORMAT = 1;

  /**
   * A valid model of no job, target or component, with the default quantile (0.95) and minimum runs
   * (3): every forecast from it is LOW ("unknown job key"). For tools and tests that need a model
   * version on disk without training one.
   */
  public static ForecastModel empty(String version, List<String> features) {
    return new ForecastModel(
        FORMAT_VERSION, version, 0L, Map.of(), features, 0.95, 3, Map.of(), Map.of(), Map.of());
  }

  public TargetModel target(io.foresight.forecast.Target t) {
    return targets.get(t.column());
  }
}
