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
  public record ModelPlan(
      DemandForecaster forecaster,
      DemandRequest request,
      DemandForecast forecast,
      double quantile,
      ResourcePlan plan) {

    /**
     * The forecast of the run at the executor shape it starts with, {@code shape}: the plan was
     * forecast at the job's usual shape (its runs'), which the plan or the user's settings can
     * change, and wall-clock and stage times depend on it. This forecast when the shape says
     * nothing else.
     */
    public DemandForecast forecastAt(Shape shape) {
      int cores = shape.cores() != null ? shape.cores() : forecast.executorCores();
      int executors = shape.executors() != null ? shape.executors() : forecast.executors();
      if (cores == forecast.executorCores() && executors == forecast.executors()) {
        return forecast;
      }
      return forecaster.forecast(request.withExecutors(cores, executors));
    }
  }

  /**
   * The executors a run starts with, as its conf says: cores each, and how many at once; null where
   * the conf does not say.
   */
  public record Shape(Integer cores, Integer executors) {
    static final Shape UNKNOWN = new Shape(null, null);
  }

  /**
   * The executor shape {@code conf} gives the application after the plan ({@code outcome}; null
   * when there was none): {@code spark.executor.cores}, and how many executors at once. Under
   * dynamic allocation that is the plan's {@code maxExecutors} when the plan set it (the count the
   * forecast found useful); a user's cap is only a cap, often far above what runs, so the count is
   * then not known. Without dynamic allocation, {@code spark.executor.instances}, else {@code
   * spark.cores.max} divided by the cores (standalone). In local mode, the one executor with the
   * master's threads as cores ({@code local[4]}: 4; {@code local[*]}: the machine's).
   */
  public static Shape configuredShape(SparkConf conf, Outcome outcome) {
    String master = conf.get("spark.master", "");
    java.util.regex.Matcher local = LOCAL_MASTER.matcher(master);
    if (local.matches()) {
      String threads = local.group(1);
      if (threads == null) {
        return new Shape(1, 1);
      }
      int n =
          threads.equals("*")
              ? Runtime.getRuntime().availableProcessors()
              : Integer.parseInt(threads);
      return n > 0 ? new Shape(n, 1) : Shape.UNKNOWN;
    }
    if (master.startsWith("local")) {
      return Shape.UNKNOWN; // local-cluster, for Spark's own tests
    }
    Integer cores = positive(conf, "spark.executor.cores");
    Integer executors;
    if (conf.getBoolean(DA_KEY, false)) {
      Integer max = positive(conf, "spark.dynamicAllocation.maxExecutors");
      boolean planned =
          outcome != null
              && outcome.applied()
              && max != null
              && max == outcome.plan().maxExecutors();
      executors = planned ? max : null;
    } else {
      executors = positive(conf, "spark.executor.instances");
      Integer coresMax = positive(conf, "spark.cores.max");
      if (executors == null && coresMax != null && cores != null) {
        executors = Math.max(1, coresMax / cores);
      }
    }
    return new Shape(cores, executors);
  }

  /** {@code local}, {@code local[N]}, {@code local[*]}, also with a retry count ({@code ,F}). */
  private static final java.util.regex.Pattern LOCAL_MASTER =
      java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d{1,6})(?:,\\d+)?\\])?");

  /** A positive integer setting below Spark's "unlimited"; null when unset or not such. */
  private static Integer positive(SparkConf conf, String key) {
    if (!conf.contains(key)) {
      return null;
    }
    try {
      int v = Integer.parseInt(conf.get(key).trim());
      return v > 0 && v < Integer.MAX_VALUE ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Forecasts the job from the model beside {@code historyPath} and plans it; null when no model
   * has been trained yet (nothing to plan from, nothing recorded).
   *
   * @throws io.foresight.forecast.ModelException when the history's file system cannot be reached
   */
  public static ModelPlan planFromModel(
      String historyPath,
      String jobKey,
      Long scheduledMs,
      int baseMemoryMib,
      PlannerSettings settings)
      throws io.foresight.forecast.ModelException {
    return planFromModel(historyPath, null, jobKey, scheduledMs, null, baseMemoryMib, settings);
  }

  /**
   * As {@link #planFromModel(String, String, Long, int, PlannerSettings)}, for a run whose input
   * paths hold {@code listedInputGib} (null when not known: the volume is forecast), reaching a
   * history that is not local with {@code hadoopConf} (the application's; null: Hadoop's default).
   */
  public static ModelPlan planFromModel(
      String historyPath,
      org.apache.hadoop.conf.Configuration hadoopConf,
      String jobKey,
      Long scheduledMs,
      Double listedInputGib,
      int baseMemoryMib,
      PlannerSettings settings)
      throws io.foresight.forecast.ModelException {
    io.foresight.forecast.ModelStore store =
        io.foresight.forecast.ModelStore.of(historyPath, hadoopConf);
    if (!store.hasModel()) {
      return null;
    }
    DemandForecaster forecaster = DemandForecaster.openForJob(store, jobKey);
    DemandRequest req = DemandRequest.of(jobKey);
    if (scheduledMs != null) {
      req = req.withStartMs(scheduledMs);
    }
    if (listedInputGib != null) {
      req = req.withListedInputGib(listedInputGib);
    }
    DemandForecast f = forecaster.forecast(req);
    double quantile = forecaster.model() == null ? Double.NaN : forecaster.model().quantile();
    return new ModelPlan(forecaster, req, f, quantile, Demands.plan(f, baseMemoryMib, settings));
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
