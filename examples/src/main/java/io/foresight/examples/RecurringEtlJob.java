package io.foresight.examples;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The demo's recurring ETL job: a day's TPC-H orders and line items (Parquet) joined with customers
 * and nations (CSV), revenue aggregated per nation and month, ranked with a window, and written as
 * Parquet. Its stages: scans of both formats, a broadcast and a shuffle join, aggregates, a window
 * and a sort.
 */
public final class RecurringEtlJob {
  private RecurringEtlJob() {}

  /** Tables the job reads as Parquet; the rest are read as CSV. */
  public static final List<String> PARQUET_TABLES = List.of("orders", "lineitem");

  /**
   * Runs the job on one day's input: {@code <input>/csv/*.csv} and {@code <input>/parquet/*}.
   * Returns the number of result rows.
   */
  public static long run(SparkSession spark, Path input, Path output) {
    return run(spark, input, output, 1.0);
  }

  /**
   * Runs the job on the first {@code fraction} of the Parquet files of orders and line items (the
   * files of {@link #preparePartitioned} hold matching order-key ranges, so a fraction is a
   * consistent slice of the data).
   */
  public static long run(SparkSession spark, Path input, Path output, double fraction) {
    spark
        .read()
        .parquet(files(input.resolve("parquet/orders"), fraction))
        .createOrReplaceTempView("orders");
    spark
        .read()
        .parquet(files(input.resolve("parquet/lineitem"), fraction))
        .createOrReplaceTempView("lineitem");
    TpchTables.readCsv(spark, input.resolve("csv"), "customer").createOrReplaceTempView("customer");
    TpchTables.readCsv(spark, input.resolve("csv"), "nation").createOrReplaceTempView("nation");
    Dataset<Row> result =
        spark.sql(
            "SELECT n_name, month, revenue, orders, "
                + "rank() OVER (PARTITION BY month ORDER BY revenue DESC) AS revenue_rank "
                + "FROM ("
                + "  SELECT n.n_name, date_format(o.o_orderdate, 'yyyy-MM') AS month, "
                + "         sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue, "
                + "         count(DISTINCT o.o_orderkey) AS orders "
                + "  FROM lineitem l "
                + "  JOIN orders o ON l.l_orderkey = o.o_orderkey "
                + "  JOIN customer c ON o.o_custkey = c.c_custkey "
                + "  JOIN nation n ON c.c_nationkey = n.n_nationkey "
                + "  WHERE l.l_shipdate >= DATE '1993-01-01' "
                + "  GROUP BY n.n_name, date_format(o.o_orderdate, 'yyyy-MM')"
                + ") ORDER BY month, revenue_rank");
    result.write().mode("overwrite").parquet(output.toString());
    return spark.read().parquet(output.toString()).count();
  }

  private static String[] files(Path dir, double fraction) {
    if (fraction >= 1.0) {
      return new String[] {dir.toString()};
    }
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
      List<Path> parts =
          s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
      int k = Math.max(1, (int) Math.round(parts.size() * fraction));
      return parts.subList(0, k).stream().map(Path::toString).toArray(String[]::new);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Generates input at {@code scale} whose orders and line items are Parquet in {@code files} files
   * of matching order-key ranges, so that {@link #run(SparkSession, Path, Path, double)} can read
   * any fraction of it.
   */
  public static void preparePartitioned(SparkSession spark, Path input, double scale, int files)
      throws java.io.IOException {
    TpchTables.generateCsv(input.resolve("csv"), scale);
    TpchTables.readCsv(spark, input.resolve("csv"), "orders")
        .repartitionByRange(files, org.apache.spark.sql.functions.col("o_orderkey"))
        .write()
        .mode("overwrite")
        .parquet(input.resolve("parquet/orders").toString());
    TpchTables.readCsv(spark, input.resolve("csv"), "lineitem")
        .repartitionByRange(files, org.apache.spark.sql.functions.col("l_orderkey"))
        .write()
        .mode("overwrite")
        .parquet(input.resolve("parquet/lineitem").toString());
  }

  /** Generates one day's input at {@code scale}: CSV for all tables, Parquet for the big ones. */
  public static void prepareInput(SparkSession spark, Path input, double scale)
      throws java.io.IOException {
    TpchTables.generateCsv(input.resolve("csv"), scale);
    TpchTables.toParquet(spark, input.resolve("csv"), input.resolve("parquet"), PARQUET_TABLES);
  }
}
