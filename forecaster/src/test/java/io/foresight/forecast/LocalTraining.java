package io.foresight.forecast;

import io.foresight.forecast.model.ForecastModel;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Trains a model on runs in a local Spark session of its own, stopped afterwards. */
final class LocalTraining {
  private LocalTraining() {}

  /** A model of {@code runs} as of the newest one's start, with {@code options}. */
  static ForecastModel train(Path scratch, List<AppRun> runs, ForecastTrainer.Options options) {
    SparkSession spark = LocalSpark.start(scratch.resolve("spark"), Map.of());
    try {
      return new ForecastTrainer(spark, options)
          .train(runs, Map.of(), runs.get(runs.size() - 1).startMs());
    } finally {
      spark.stop();
    }
  }

  /**
   * A model of {@code runs} with the default quantile and minimum runs, holding out {@code
   * calibrationFraction} of each job's runs, and a small global model (3 trees of depth 2): enough
   * where the component models are what a test looks at.
   */
  static ForecastModel trainSmallGlobal(
      Path scratch, List<AppRun> runs, double calibrationFraction) {
    return train(scratch, runs, smallGlobal(calibrationFraction));
  }

  /** The default options but a small global model (3 trees of depth 2). */
  static ForecastTrainer.Options smallGlobal(double calibrationFraction) {
    return new ForecastTrainer.Options(0.95, 3, calibrationFraction, 3, 2, 48, 42L);
  }
}
