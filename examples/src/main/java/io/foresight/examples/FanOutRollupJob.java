package io.foresight.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A recurring job of two phases, the common shape of a daily ETL: a wide, CPU-bound rollup with one
 * task per input file (each line item expanded into events that are hashed and counted per bucket),
 * then the narrow queries of {@link SkewedMemoryJob} on a few partitions. The wide phase keeps a
 * backlog of tasks for many seconds, so Spark's reactive dynamic allocation scales out on it; the
 * executors it added hold shuffle data and stay through the narrow phase.
 */
public final class FanOutRollupJob {
  /** Events per line item: sets the CPU work of the wide phase (about 1.5 s per file here). */
  static final int EVENTS_PER_ROW = 256;

  private FanOutRollupJob() {}

  /** Runs the rollup, then both queries of {@link SkewedMemoryJob}; returns all results. */
  public static List<Row> run(SparkSession spark, List<Path> lineitem) {
    // One task per input file: the day's files are the unit of work, whatever their size.
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1m");
    spark.conf().set("spark.sql.files.openCostInBytes", "1m");
    spark
        .read()
        .parquet(lineitem.stream().map(Path::toString).toArray(String[]::new))
        .createOrReplaceTempView("lineitem_events");
    List<Row> rollup =
        spark
            .sql(
                "SELECT bucket, count(*) AS events, sum(h) AS checksum FROM ("
                    + " SELECT l_orderkey % 16 AS bucket,"
                    + " crc32(sha2(concat(l_comment, e), 256)) AS h"
                    + " FROM lineitem_events LATERAL VIEW explode(sequence(1, "
                    + EVENTS_PER_ROW
                    + ")) t AS e)"
                    + " GROUP BY bucket ORDER BY bucket")
            .collectAsList();
    List<Row> all = new ArrayList<>(rollup);
    all.addAll(SkewedMemoryJob.run(spark, lineitem));
    return all;
  }
}
