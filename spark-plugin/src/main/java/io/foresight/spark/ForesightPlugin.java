package io.foresight.spark;

import io.foresight.capture.CaptureStats;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Foresight's entry point: {@code --conf spark.plugins=io.foresight.spark.ForesightPlugin}.
 *
 * <p>The driver side captures every stage of the application into the history tables. The executor
 * side reports the heap each garbage collection left, per running stage ({@link
 * ForesightExecutorPlugin}).
 */
public final class ForesightPlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return new ForesightDriverPlugin();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ForesightExecutorPlugin();
  }

  /**
   * The counters of the capture started last in this JVM, or null. For diagnostics and tests; the
   * same counters are Spark plugin metrics.
   */
  public static CaptureStats lastCaptureStats() {
    return ForesightDriverPlugin.lastStats;
  }
}
