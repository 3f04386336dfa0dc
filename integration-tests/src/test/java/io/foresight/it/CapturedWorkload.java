package io.foresight.it;

import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;

/**
 * A driver run in its own JVM by the process tests: {@code <history> <spool> <jobs> <pauseMs>
 * [extra conf k=v ...]}. Runs {@code jobs} shuffle jobs with the plugin on, printing {@code STAGE
 * <id>.<attempt>} for each completed stage and {@code JOB-DONE <n>} after each job, pausing {@code
 * pauseMs} between jobs, then {@code STAGES <count>} and exits.
 *
 * <p>With the system property {@code foresight.it.goFile}, the driver prints {@code READY <app id>}
 * once its SparkContext is up and waits until that file exists before running any job, so that a
 * test can start several drivers one after another (distinct application ids: a local-mode id is
 * {@code local-<epoch ms>}) and still have them commit at the same time.
 */
public final class CapturedWorkload {
  private CapturedWorkload() {}

  public static void main(String[] args) throws Exception {
    String history = args[0];
    String spool = args[1];
    int jobs = Integer.parseInt(args[2]);
    long pauseMs = Long.parseLong(args[3]);
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .appName("captured-workload")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "3")
            .config("spark.plugins", "io.foresight.spark.ForesightPlugin")
            .config("spark.foresight.history.path", history)
            .config("spark.foresight.spool.dir", spool);
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      b.config(kv[0], kv[1]);
    }
    SparkSession spark = b.getOrCreate();
    String goFile = System.getProperty("foresight.it.goFile");
    if (goFile != null) {
      System.out.println("READY " + spark.sparkContext().applicationId());
      System.out.flush();
      java.nio.file.Path go = java.nio.file.Path.of(goFile);
      while (!java.nio.file.Files.exists(go)) {
        Thread.sleep(20);
      }
    }
    ConcurrentSkipListSet<String> stages = new ConcurrentSkipListSet<>();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onStageCompleted(SparkListenerStageCompleted e) {
                if (e.stageInfo().failureReason().isEmpty()) {
                  String id = e.stageInfo().stageId() + "." + e.stageInfo().attemptNumber();
                  stages.add(id);
                  System.out.println("STAGE " + id);
                }
              }
            });
    for (int j = 1; j <= jobs; j++) {
      long n =
          spark
              .range(0, 50_000L * j, 1, 4)
              .selectExpr("id % 13 AS k", "id")
              .groupBy("k")
              .sum("id")
              .count();
      if (n != 13) {
        throw new IllegalStateException("wrong result " + n);
      }
      spark.sparkContext().listenerBus().waitUntilEmpty();
      System.out.println("JOB-DONE " + j);
      System.out.flush();
      Thread.sleep(pauseMs);
    }
    System.out.println("STAGES " + stages.size());
    spark.stop();
    System.out.println("STOPPED");
  }
}
