package io.foresight.spark.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import io.foresight.history.HistoryRecord;
import io.foresight.history.PlanRecord;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a run at driver start-up ({@code DriverPlugin.init}, before the default ResourceProfile and
 * the executor allocation exist) and writes the plan into the live conf (DESIGN-NOTES §2).
 */
public final class StartupPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(StartupPlanner.class);
  static final String EXTENSIONS_KEY = "spark.sql.extensions";
  static final String DA_KEY = "spark.dynamicAllocation.enabled";

  private StartupPlanner() {}

  /**
   * What happened at start-up.
   *
   * @param applied whether the conf was changed
   * @param stageProfiles whether the SQL extension will put stages on profiles
   * @param changes the settings written, key to new value
   */
  public record Outcome(
      ResourcePlan plan,
      boolean applied,
      boolean stageProfiles,
      String reason,
      Map<String, String> changes) {}

  /**
   * A forecast and the plan made from it.
   *
   * @param quantile the nominal coverage of the forecast's upper bounds
   */
  public record ModelPlan(DemandForecast forecast, double quantile, ResourcePlan plan) {}

  /**
   * Forecasts the job from the model beside {@code historyPath} and plans it; null when no model
   * has been trained yet (nothing to plan from, nothing recorded).
   *
   * @throws io.foresight.forecast.ModelException when the history is not local: models are kept
   *     only beside a local history, so there is nothing to plan from either
   */
  public static ModelPlan planFromModel(
      String historyPath,
      String jobKey,
      Long scheduledMs,
      int baseMemoryMib,
      PlannerSettings settings)
      throws io.foresight.forecast.ModelException {
    if (!io.foresight.forecast.ModelStore.of(historyPath).hasModel()) {
      return null;
    }
    DemandForecaster forecaster = DemandForecaster.open(historyPath);
    DemandRequest req = DemandRequest.of(jobKey);
    if (scheduledMs != null) {
      req = req.withStartMs(scheduledMs);
    }
    DemandForecast f = forecaster.forecast(req);
    double quantile = forecaster.model() == null ? Double.NaN : forecaster.model().quantile();
    return new ModelPlan(f, quantile, Demands.plan(f, baseMemoryMib, settings));
  }

  /** Applies {@code plan} to the live conf when it may be, and says what was done. */
  public static Outcome apply(SparkConf conf, ResourcePlan plan, PlannerSettings settings) {
    String master = conf.get("spark.master", "");
    if (!plan.actionable()) {
      return new Outcome(plan, false, false, "not applied: " + plan.reason(), Map.of());
    }
    if (!settings.applies()) {
      return new Outcome(plan, false, false, "observe mode: recorded only", Map.of());
    }
    if (master.startsWith("local[") || master.equals("local")) {
      return new Outcome(
          plan, false, false, "local master: executors are the driver; nothing to size", Map.of());
    }
    boolean daDisabledByUser = conf.contains(DA_KEY) && !conf.getBoolean(DA_KEY, false);
    Map<String, String> changes = new LinkedHashMap<>();
    Map<String, String> kept = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : plan.conf().entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (k.equals("spark.plugins")) {
        String plugins = conf.get(k, "");
        if (!plugins.contains(v)) {
          String nv = plugins.isEmpty() ? v : plugins + "," + v;
          conf.set(k, nv);
          changes.put(k, nv);
        }
        continue;
      }
      if (k.startsWith("spark.dynamicAllocation.") && daDisabledByUser) {
        continue;
      }
      if (conf.contains(k) && !settings.override()) {
        if (!conf.get(k).equals(v)) {
          kept.put(k, conf.get(k));
        }
        continue;
      }
      conf.set(k, v);
      changes.put(k, v);
    }
    if (daDisabledByUser && !conf.contains("spark.executor.instances")) {
      conf.set("spark.executor.instances", Integer.toString(plan.initialExecutors()));
      changes.put("spark.executor.instances", Integer.toString(plan.initialExecutors()));
    }
    boolean stageProfiles =
        plan.hasStageProfiles() && !daDisabledByUser && conf.getBoolean(DA_KEY, false);
    if (stageProfiles) {
      String ext = conf.get(EXTENSIONS_KEY, "");
      String mine = ForesightExtensions.class.getName();
      if (!ext.contains(mine)) {
        conf.set(EXTENSIONS_KEY, ext.isEmpty() ? mine : ext + "," + mine);
      }
    }
    String reason =
        "applied "
            + plan.reason()
            + (stageProfiles
                ? ""
                : plan.hasStageProfiles()
                    ? "; stage profiles need dynamic allocation, which the user turned off"
                    : "")
            + (kept.isEmpty() ? "" : "; kept the user's " + kept);
    LOG.info("Foresight plan for job '{}': set {}; {}", plan.jobKey(), changes, reason);
    return new Outcome(plan, true, stageProfiles, reason, Map.copyOf(changes));
  }

  /** The {@code foresight.plans} row of an outcome. */
  public static PlanRecord toRecord(
      StartupPlanner.Outcome o, String mode, String appId, String source, long plannedMs) {
    ResourcePlan p = o.plan();
    ObjectMapper json = new ObjectMapper();
    try {
      return new PlanRecord(
          HistoryRecord.SCHEMA_VERSION,
          UUID.randomUUID().toString(),
          p.jobKey(),
          appId,
          plannedMs,
          p.modelVersion(),
          mode,
          o.applied(),
          o.reason(),
          p.defaultProfile().shape().cores(),
          p.defaultProfile().shape().memoryMib(),
          p.initialExecutors(),
          p.maxExecutors(),
          p.profiles().size(),
          p.stages().size(),
          p.overProvisionedGibSeconds(),
          json.writeValueAsString(p),
          json.writeValueAsString(o.changes()),
          source,
          System.currentTimeMillis());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
