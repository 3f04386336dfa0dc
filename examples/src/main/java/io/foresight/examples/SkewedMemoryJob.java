package io.foresight.examples;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A recurring job whose stages need very different executor memory, on TPC-H line items: a light
 * scan-and-aggregate, and a window over wide rows in a few large partitions whose sort holds most
 * of a partition in execution memory. Its shuffle-map stages are what stage-level profiles are for:
 * with one executor shape for all, either the light stages are over-provisioned or the heavy one
 * spills.
 */
public final class SkewedMemoryJob {
  private SkewedMemoryJob() {}

  /** Runs both queries on the line items Parquet at {@code lineitem}; returns their results. */
  public static List<Row> run(SparkSession spark, Path lineitem) {
    return run(spark, List.of(lineitem));
  }

  /** Runs both queries on the given line-item Parquet files or folders. */
  public static List<Row> run(SparkSession spark, List<Path> lineitem) {
    spark
        .read()
        .parquet(lineitem.stream().map(Path::toString).toArray(String[]::new))
        .createOrReplaceTempView("lineitem");
    List<Row> light =
        spark
            .sql(
                "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS qty, count(*) AS n"
                    + " FROM lineitem WHERE l_shipdate >= DATE '1994-01-01'"
                    + " GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus")
            .collectAsList();
    List<Row> heavy =
        spark
            .sql(
                "SELECT l_returnflag, max(rn) AS rows, max(length(wide)) AS widest FROM ("
                    + " SELECT l_returnflag, wide, row_number() OVER (PARTITION BY l_returnflag"
                    + " ORDER BY wide) AS rn FROM ("
                    + " SELECT l_returnflag, concat(repeat(l_comment, 48), l_orderkey, '-',"
                    + " l_linenumber) AS wide FROM lineitem))"
                    + " GROUP BY l_returnflag ORDER BY l_returnflag")
            .collectAsList();
    List<Row> all = new java.util.ArrayList<>(light);
    all.addAll(heavy);
    return all;
  }
}
