package io.foresight.forecast;

import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.StageShape;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The feature vectors of the models. Training and serving build them with this one class, so that a
 * model sees at prediction time exactly what it was trained on.
 *
 * <p>Calendar features use UTC. Lag features describe the component's previous runs only.
 */
public final class Features {
  private Features() {}

  /** Names of the global model's features, in vector order. */
  public static final List<String> GLOBAL =
      List.of(
          "log_job_input_gib",
          "log_task_slots",
          "executor_cores",
          "log_num_tasks",
          "stage_attempts",
          "joins",
          "aggregates",
          "windows",
          "exchanges",
          "sorts",
          "udfs",
          "schema_depth",
          "format_parquet",
          "format_csv",
          "format_text",
          "format_other",
          "no_scan",
          "hour_sin",
          "hour_cos",
          "weekday_sin",
          "weekday_cos",
          "input_share",
          "log_prior_runs",
          "lag_log_per_input");

  /** Names of the per-component scaling model's features (Ernest-style, in log space). */
  public static final List<String> SCALING = List.of("log_job_input_gib", "log_task_slots");

  public static double logInput(double inputGib) {
    return Math.log(inputGib + 1e-3);
  }

  public static double[] scaling(RunContext run) {
    return new double[] {logInput(run.inputGib()), Math.log(run.slots())};
  }

  /**
   * The global features of {@code component} for {@code target} in {@code run}.
   *
   * @param lagLogPerInput the component's EWMA of {@code ln(label) - ln(input)} for the target, or
   *     {@code null} when it has no earlier run
   */
  public static double[] global(
      ComponentModel component, Target target, RunContext run, Double lagLogPerInput) {
    StageShape s = component.shape();
    ZonedDateTime t = Instant.ofEpochMilli(run.startMs()).atZone(ZoneOffset.UTC);
    double hour = t.getHour() + t.getMinute() / 60.0;
    double weekday = t.getDayOfWeek().getValue() - 1 + hour / 24.0;
    List<String> formats = s.formats() == null ? List.of() : s.formats();
    double parquet = formats.contains("parquet") ? 1 : 0;
    double csv = formats.contains("csv") ? 1 : 0;
    double text = formats.contains("json") || formats.contains("text") ? 1 : 0;
    double other =
        formats.stream().anyMatch(f -> !List.of("parquet", "csv", "json", "text").contains(f))
            ? 1
            : 0;
    double logInput = logInput(run.inputGib());
    return new double[] {
      logInput,
      Math.log(run.slots()),
      run.executorCores(),
      Math.log1p(s.numTasks()),
      s.stageAttempts(),
      s.joins(),
      s.aggregates(),
      s.windows(),
      s.exchanges(),
      s.sorts(),
      s.udfs(),
      s.schemaDepth(),
      parquet,
      csv,
      text,
      other,
      formats.isEmpty() ? 1 : 0,
      Math.sin(2 * Math.PI * hour / 24),
      Math.cos(2 * Math.PI * hour / 24),
      Math.sin(2 * Math.PI * weekday / 7),
      Math.cos(2 * Math.PI * weekday / 7),
      component.inputShare(),
      Math.log1p(component.runs()),
      lagLogPerInput == null ? 0 : lagLogPerInput
    };
  }
}
