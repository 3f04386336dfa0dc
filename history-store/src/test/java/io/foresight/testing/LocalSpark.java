package io.foresight.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the local SparkSessions tests use: loopback host, UI off, Delta enabled, small heap. */
public final class LocalSpark {
  private LocalSpark() {}

  public static SparkSession.Builder builder(String master, Path scratch) {
    try {
      Files.createDirectories(scratch);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return SparkSession.builder()
        .master(master)
        .appName("foresight-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
        .config("spark.local.dir", localDir(scratch))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
  }

  /**
   * Spark's scratch folder. Spark keeps the first session's for the life of the JVM (its driver
   * temp folders go there), so a per-test folder would be recreated after the test's cleanup and
   * left behind; the build gives every test JVM one under target/ instead.
   */
  private static String localDir(Path scratch) {
    String shared = System.getProperty("foresight.test.sparkLocalDir");
    return shared != null ? shared : scratch.resolve("local").toString();
  }

  public static SparkSession start(Path scratch, Map<String, String> extra) {
    SparkSession.Builder b = builder("local[2]", scratch);
    extra.forEach(b::config);
    return b.getOrCreate();
  }

  /** The shared corpus beside the checkout ({@code ../shared}). */
  public static Path sharedDir() {
    String dir = System.getProperty("foresight.shared.dir");
    return Path.of(dir == null ? "../shared" : dir).toAbsolutePath().normalize();
  }
}
