package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.testing.LocalSpark;
import io.foresight.testing.LocalUnderScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history on a file system that does not answer (a NameNode or object store out of reach, whose
 * client retries for minutes): the application starts and runs anyway. Planning gives up after
 * {@code spark.foresight.planner.timeout}; capture keeps its rows in the local spool.
 */
class UnreachableHistoryTest {
  @TempDir Path root;

  /**
   * The local disk under the scheme {@code stalled}: every call that reaches a file waits until
   * {@link #RELEASE}, then fails, as a file system whose server does not answer.
   */
  public static final class StalledFileSystem extends LocalUnderScheme {
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final AtomicInteger STALLED = new AtomicInteger();

    public StalledFileSystem() {
      super(false); // not counted among LocalUnderScheme's instances
    }

    private static IOException stall() {
      STALLED.incrementAndGet();
      try {
        RELEASE.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new IOException("the stalled file system gave up");
    }

    @Override
    public FileStatus getFileStatus(org.apache.hadoop.fs.Path f) throws IOException {
      throw stall();
    }

    @Override
    public FileStatus[] listStatus(org.apache.hadoop.fs.Path f) throws IOException {
      throw stall();
    }

    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
      throw stall();
    }
  }

  @Test
  void theApplicationStartsAndRunsWhenItsHistoryDoesNotAnswer() throws Exception {
    long plannerErrors = PlanAtStartup.ERRORS.get();
    Path spool = root.resolve("spool");
    SparkSession spark =
        assertTimeoutPreemptively(
            Duration.ofMinutes(2), // not a goal: without the limit the start never ends
            () ->
                LocalSpark.builder("local[1]", root.resolve("spark"))
                    .config("spark.plugins", ForesightPlugin.class.getName())
                    .config("spark.hadoop.fs.stalled.impl", StalledFileSystem.class.getName())
                    .config("spark.hadoop.fs.stalled.impl.disable.cache", "true")
                    .config("spark.foresight.history.path", "stalled://" + root.resolve("history"))
                    .config("spark.foresight.spool.dir", spool.toString())
                    .config("spark.foresight.job.id", "nightly-etl")
                    .config("spark.foresight.planner.timeout", "1s")
                    .config("spark.foresight.shutdownTimeout", "1s")
                    .getOrCreate());
    try {
      assertTrue(StalledFileSystem.STALLED.get() > 0, "the history was asked, and stalled");
      assertEquals(plannerErrors + 1, PlanAtStartup.ERRORS.get(), "planning gave up, counted");
      assertEquals(499_500L, spark.range(1000).selectExpr("sum(id)").first().getLong(0));
    } finally {
      spark.stop();
      // the file system now fails; the threads left waiting on it end (the planner's, the
      // writer's), and nothing writes below root once the test is over
      StalledFileSystem.RELEASE.countDown();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("foresight-planning")
            || t.getName().equals("foresight-history-writer")) {
          t.join(60_000);
          assertTrue(!t.isAlive(), t.getName() + " ended");
        }
      }
    }
    // nothing is lost: the application's rows wait in the local spool for a start that reaches
    // the history
    StringBuilder spooled = new StringBuilder();
    try (var files = Files.list(spool)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList()) {
        spooled.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertTrue(spooled.indexOf("nightly-etl") >= 0, "the run's rows are spooled: " + spooled);
  }
}
