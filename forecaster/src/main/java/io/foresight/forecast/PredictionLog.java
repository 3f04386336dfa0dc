package io.foresight.forecast;

import io.foresight.history.HistoryRecord;
import io.foresight.history.PredictionRecord;
import io.foresight.history.PredictionTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/** Turns forecasts into {@code predictions} rows and writes them. */
public final class PredictionLog {
  private PredictionLog() {}

  /** One row per job-level and stage-level target of {@code f}. */
  public static List<PredictionRecord> rows(
      DemandForecast f, double quantile, String runId, String source, long nowMs) {
    String id = UUID.randomUUID().toString();
    List<PredictionRecord> out = new ArrayList<>();
    Double input = f.inputGib().present() ? f.inputGib().point() : null;
    Integer cores = f.executorCores() > 0 ? f.executorCores() : null;
    Integer executors = f.executors() > 0 ? f.executors() : null;
    String[][] job = {
      {"job_core_seconds", "s"}, {"job_wall_clock_seconds", "s"}, {"job_peak_heap_gib", "GiB"}
    };
    Estimate[] jobEst = {f.coreSeconds(), f.wallClockSeconds(), f.peakHeapGib()};
    for (int i = 0; i < job.length; i++) {
      out.add(
          row(
              id, f, runId, nowMs, "job", null, null, job[i][0], job[i][1], jobEst[i], quantile,
              input, cores, executors, source));
    }
    for (StageForecast s : f.stages()) {
      for (Target t : Target.values()) {
        out.add(
            row(
                id,
                f,
                runId,
                nowMs,
                "stage",
                s.signature(),
                s.name(),
                t.column(),
                t.unit(),
                s.get(t),
                quantile,
                input,
                cores,
                executors,
                source));
      }
    }
    return out;
  }

  /** Writes the rows of {@code f} to the predictions table of the history. */
  public static void write(
      String historyPath,
      DemandForecast f,
      double quantile,
      String runId,
      String source,
      long nowMs)
      throws IOException {
    PredictionTable.append(
        historyPath, new Configuration(), rows(f, quantile, runId, source, nowMs));
  }

  private static PredictionRecord row(
      String id,
      DemandForecast f,
      String runId,
      long nowMs,
      String scope,
      String signature,
      String stageName,
      String target,
      String unit,
      Estimate e,
      double quantile,
      Double input,
      Integer cores,
      Integer executors,
      String source) {
    return new PredictionRecord(
        HistoryRecord.SCHEMA_VERSION,
        id,
        f.jobKey(),
        runId,
        nowMs,
        f.modelVersion(),
        scope,
        signature,
        stageName,
        target,
        unit,
        finite(e.point()),
        finite(e.upper()),
        quantile,
        e.confidence().name(),
        e.reason() == null || e.reason().isEmpty() ? null : e.reason(),
        input,
        cores,
        executors,
        source,
        System.currentTimeMillis());
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
