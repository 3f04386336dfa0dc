package io.foresight.examples;

import org.apache.spark.sql.SparkSession;

/**
 * A plain Spark application with no Foresight code, for trying the bundle with spark-submit:
 *
 * <pre>
 * spark-submit --jars foresight-spark-plugin-*-bundle.jar \
 *   --conf spark.plugins=io.foresight.spark.ForesightPlugin \
 *   --class io.foresight.examples.SampleSqlJob foresight-examples-*.jar
 * </pre>
 */
public final class SampleSqlJob {
  private SampleSqlJob() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("sample-sql-job").getOrCreate();
    spark.range(0, 200_000, 1, 4).selectExpr("id % 17 AS k", "id").createOrReplaceTempView("t");
    long groups = spark.sql("SELECT k, sum(id) FROM t GROUP BY k").count();
    System.out.println("SAMPLE-RESULT " + groups);
    spark.stop();
  }
}
