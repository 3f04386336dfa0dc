package io.foresight.spark;

import io.foresight.capture.CaptureStats;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Foresight's entry point: {@code --conf spark.plugins=io.foresight.spark.ForesightPlugin}.
 *
 * <p>The driver side captures every stage of the application into the history tables. There is no
 * executor side: executors need nothing from Foresight.
 */
public final class ForesightPlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return new ForesightDriverPlugin();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return null;
  }

  /**
   * The counters of the capture started last in this JVM, or null. For diagnostics and tests; the
   * same counters are Spark plugin metrics.
   */
  public static CaptureStats lastCaptureStats() {
    return ForesightDriverPlugin.lastStats;
  }
}
