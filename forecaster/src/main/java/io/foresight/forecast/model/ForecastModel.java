package io.foresight.forecast.model;

import java.util.List;
import java.util.Map;

/**
 * One trained model version: everything a prediction needs, with no SparkSession and no access to
 * the history tables. Stored as {@code <history>/models/<version>/model.json}.
 *
 * @param formatVersion layout of this file; a reader refuses other versions
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

  public static final int FORMAT_VERSION = 1;

  public TargetModel target(io.foresight.forecast.Target t) {
    return targets.get(t.column());
  }
}
