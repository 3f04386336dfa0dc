package io.foresight.capture;

import io.foresight.forecast.AppRun;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.HistoryReader;
import io.foresight.forecast.ModelException;
import io.foresight.forecast.ModelStore;
import io.foresight.forecast.OnlineStats;
import io.foresight.forecast.StageRow;
import io.foresight.history.AppRecord;
import io.foresight.history.HistoryRecord;
import io.foresight.history.StageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps what the forecaster's online update needs from the rows a live capture writes, and at the
 * end of the application folds the run into the online statistics of the latest model (no Spark
 * job), so that the next prediction of the job already reflects this run. Without a trained model
 * it does nothing.
 */
final class RunFeedback {
  /**
   * Stages of a run folded into the statistics at most: an application with more (a streaming
   * query, a notebook session) is not a run of a recurring batch job, and what was kept of it is
   * let go once it has more.
   */
  static final int MAX_STAGES = 10_000;

  private AppRecord app;

  /** The completed stages, as the forecaster reads them (executor memory as recorded). */
  private List<StageRow> stages = new ArrayList<>();

  private Integer profileCores;
  private boolean overflow;

  void observe(HistoryRecord r) {
    if (r instanceof AppRecord a) {
      app = a;
    } else if (r instanceof StageRecord s && "COMPLETE".equals(s.status()) && !overflow) {
      if (stages.size() < MAX_STAGES) {
        stages.add(row(s));
        if (s.profileExecutorCores() != null) {
          profileCores =
              profileCores == null
                  ? s.profileExecutorCores()
                  : Math.max(profileCores, s.profileExecutorCores());
        }
      } else {
        overflow = true;
        stages = new ArrayList<>();
      }
    }
  }

  /**
   * Applies the finished run. Returns what was done, for the log, or null when there was nothing to
   * do (no model, not a succeeded run of a recurring job).
   */
  String apply(String historyPath, org.apache.hadoop.conf.Configuration hadoopConf)
      throws IOException {
    AppRun run = toRun();
    if (run == null || overflow) {
      return null;
    }
    ModelStore models;
    try {
      models = ModelStore.of(historyPath, hadoopConf);
    } catch (ModelException e) {
      return null;
    }
    if (!models.hasModel()) {
      return null;
    }
    // The run's job only: reading every job's model would delay the application's stop on a
    // history of many jobs. A stage whose component belongs only to another job is not folded.
    DemandForecaster f = DemandForecaster.openForJob(models, run.jobKey());
    if (f.model() == null) {
      return null;
    }
    OnlineStats.update(models, f, run);
    return "job " + run.jobKey() + ", model " + f.modelVersion();
  }

  AppRun toRun() {
    if (app == null
        || !"SUCCEEDED".equals(app.status())
        || app.jobKey() == null
        || app.startMs() == null
        || app.endMs() == null) {
      return null;
    }
    Map<String, String> conf = app.conf() == null ? Map.of() : app.conf();
    // In local mode the executor is the driver's JVM: its heap is not the profile's memory.
    boolean local = app.master() != null && app.master().startsWith("local");
    List<StageRow> rows = local ? new ArrayList<>(stages.size()) : stages;
    if (local) {
      for (StageRow r : stages) {
        rows.add(r.withExecutorMemoryBytes(0));
      }
    }
    long start = app.startMs();
    return new AppRun(
        app.appId(),
        app.jobKey(),
        HistoryReader.scheduledTime(conf.get(HistoryReader.SCHEDULED_TIME_KEY), start),
        app.endMs() - start,
        AppRun.inputVolume(app.inputBytes() == null ? 0 : app.inputBytes(), rows),
        HistoryReader.executorCores(profileCores, conf, app.master()),
        Math.max(1, app.maxConcurrentExecutors() == null ? 0 : app.maxConcurrentExecutors()),
        rows);
  }

  private static StageRow row(StageRecord s) {
    return new StageRow(
        s.stageId(),
        s.signature(),
        StageRow.label(s.name(), s.operators()),
        inputsOf(s),
        s.numTasks(),
        orZero(s.durationMs()),
        orZero(s.executorRunTimeMs()),
        orZero(s.peakExecutionMemoryBytes()),
        orZero(s.executorPeakJvmHeapBytes()),
        orZero(s.inputBytes()),
        orZero(s.filesReadBytes()),
        orZero(s.shuffleWriteBytes()),
        orZero(s.diskSpillBytes()),
        orZero(s.joinCount()),
        orZero(s.aggregateCount()),
        orZero(s.windowCount()),
        orZero(s.exchangeCount()),
        orZero(s.sortCount()),
        orZero(s.udfCount()),
        orZero(s.inputSchemaDepth()),
        s.inputFormats() == null ? List.of() : s.inputFormats(),
        s.profileExecutorGpus() == null ? 0 : s.profileExecutorGpus(),
        orZero(s.profileExecutorCores()),
        orZero(s.profileExecutorMemoryBytes()),
        orZero(s.executorPeakUnifiedMemoryBytes()),
        orZero(s.executorPeakHeapAfterGcBytes()));
  }

  /**
   * The stages whose shuffle {@code s} read: its producers, or its parents in a history that
   * predates them.
   */
  private static List<Integer> inputsOf(StageRecord s) {
    if (s.producerStageIds() != null) {
      return s.producerStageIds();
    }
    return s.parentStageIds() == null ? List.of() : s.parentStageIds();
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
