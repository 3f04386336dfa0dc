package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.capture.CaptureEvent.AppEnded;
import io.foresight.capture.CaptureEvent.AppStarted;
import io.foresight.capture.CaptureEvent.EnvironmentSeen;
import io.foresight.capture.CaptureEvent.JobEnded;
import io.foresight.capture.CaptureEvent.JobStarted;
import io.foresight.capture.CaptureEvent.ProfileAdded;
import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageCompleted;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.capture.CaptureEvent.StageSubmitted;
import io.foresight.forecast.AppRun;
import io.foresight.forecast.ModelStore;
import io.foresight.forecast.StageRow;
import io.foresight.forecast.model.ForecastModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the online update gets of a captured run, from the rows the capture writes. */
class RunFeedbackTest {
  @TempDir Path root;

  @Test
  void aRunIsItsCompletedStagesWithTheExecutorsMemoryOnACluster() throws Exception {
    AppRun run = capture("spark://master:7077", 3);
    assertNotNull(run);
    assertEquals("nightly@Main", run.jobKey());
    assertEquals(3, run.stages().size());
    assertEquals(2, run.executorCores());
    for (StageRow r : run.stages()) {
      assertEquals(1L << 30, r.executorMemoryBytes(), r.toString());
      assertEquals(1000, r.executorRunTimeMs(), r.toString());
    }
  }

  @Test
  void inLocalModeTheExecutorMemoryIsNotTheProfiles() throws Exception {
    AppRun run = capture("local[2]", 2);
    assertEquals(2, run.stages().size());
    run.stages().forEach(r -> assertEquals(0L, r.executorMemoryBytes(), r.toString()));
  }

  @Test
  void anApplicationOfMoreStagesThanABatchRunIsLetGo() throws Exception {
    RunFeedback f = new RunFeedback();
    HistoryAggregator a = aggregator(f, "spark://master:7077", RunFeedback.MAX_STAGES + 1);
    a.accept(new AppEnded(10_000_000L, 0));
    AppRun run = f.toRun();
    assertTrue(run.stages().isEmpty(), "the stages kept are released once there are too many");
    assertNull(f.apply(root.resolve("history").toString(), null), "and the run is not applied");
  }

  @Test
  void aRunIsFoldedIntoTheModelOfAHistoryOnAnotherFileSystemThroughOneConnection()
      throws Exception {
    Path disk = root.resolve("remote");
    String history = "hdfsish://" + disk;
    org.apache.hadoop.conf.Configuration conf =
        io.foresight.testing.LocalUnderScheme.register(
            new org.apache.hadoop.conf.Configuration(), "hdfsish");
    RunFeedback f = new RunFeedback();
    aggregator(f, "spark://master:7077", 2).accept(new AppEnded(10_000_000L, 0));
    assertNull(f.apply(history, conf), "no model trained yet: nothing to fold into");

    String version = ModelStore.versionAt(1_000_000L);
    ModelStore.of(history, conf).save(ForecastModel.empty(version, List.of()));
    int instances = io.foresight.testing.LocalUnderScheme.INSTANCES.get();
    assertEquals("job nightly@Main, model " + version, f.apply(history, conf));
    // the check for a model, its read and the write of the statistics share one file system
    // instance (on S3 each is a client to set up at the application's end)
    assertEquals(1, io.foresight.testing.LocalUnderScheme.INSTANCES.get() - instances);
    String stats =
        Files.readString(
            disk.resolve("models/online-stats").resolve(ModelStore.jobFileName("nightly@Main")));
    assertTrue(stats.contains("\"app-1\""), stats);
  }

  private AppRun capture(String master, int stages) throws Exception {
    RunFeedback f = new RunFeedback();
    HistoryAggregator a = aggregator(f, master, stages);
    a.accept(new AppEnded(10_000_000L, 0));
    return f.toRun();
  }

  /** An application on {@code master} that ran {@code n} one-stage jobs, not yet ended. */
  private static HistoryAggregator aggregator(RunFeedback f, String master, int n)
      throws Exception {
    HistoryAggregator a = new HistoryAggregator(f::observe, "ingest", "live", null, () -> 0L);
    a.accept(
        new EnvironmentSeen(
            Map.of("spark.master", master, "spark.app.name", "nightly"),
            Map.of("sun.java.command", "Main")));
    a.accept(new ProfileAdded(0, 2, 1L << 30, null));
    a.accept(new AppStarted("app-1", null, "nightly", "me", 0));
    for (int i = 0; i < n; i++) {
      StageShape s =
          new StageShape(
              i, 0, "stage " + i, 2, List.of(), List.of(new RddOp(i, "Scan parquet", "rdd")));
      a.accept(new JobStarted(i, 10L * i, List.of(s), null, null, false, null));
      a.accept(new StageSubmitted(s, false, 10L * i));
      a.accept(
          new StageCompleted(
              s,
              10L * i,
              10L * i + 5,
              null,
              new CaptureEvent.StageTotals(1000, 0, 0, 100, 1, 0, 0, 0, 0, 0, 0, 0, 0),
              0,
              new long[0]));
      a.accept(new JobEnded(i, 10L * i + 6, true, null));
    }
    return a;
  }
}
