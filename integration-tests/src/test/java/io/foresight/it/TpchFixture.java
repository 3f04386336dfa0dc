package io.foresight.it;

import io.foresight.examples.RecurringEtlJob;
import io.foresight.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One day's TPC-H input (CSV + Parquet), generated once per path with a plain Spark session. */
final class TpchFixture {
  private TpchFixture() {}

  static Path prepare(Path root, String day, double scale) throws Exception {
    Path input = root.resolve("input").resolve(day);
    if (Files.exists(input.resolve("parquet/lineitem/_SUCCESS"))) {
      return input;
    }
    SparkSession prep = LocalSpark.start(root.resolve("prep-spark"), Map.of());
    try {
      RecurringEtlJob.prepareInput(prep, input, scale);
    } finally {
      prep.stop();
    }
    return input;
  }

  /** Plugin settings pointing capture at {@code root}/history with its own spool. */
  static Map<String, String> pluginConf(Path root) {
    return Map.of(
        "spark.plugins", "io.foresight.spark.ForesightPlugin",
        "spark.foresight.history.path", root.resolve("history").toString(),
        "spark.foresight.spool.dir", root.resolve("spool").toString());
  }
}
