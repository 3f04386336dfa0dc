package io.foresight.spark;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.foresight.capture.JobKeys;
import io.foresight.forecast.HistoryReader;
import io.foresight.forecast.ModelException;
import io.foresight.forecast.PredictionLog;
import io.foresight.history.PlanTable;
import io.foresight.history.PredictionTable;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import io.foresight.spark.plan.ActivePlan;
import io.foresight.spark.plan.StartupPlanner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planning in {@code DriverPlugin.init}: forecast the job, plan it, write the plan into the live
 * conf when it may be applied, install it for the SQL extension, and record it in {@code
 * foresight.plans} and the forecast in {@code foresight.predictions} from a background thread.
 * Never fails the application: any error is a warning and the {@code plannerErrors} metric.
 */
final class PlanAtStartup {
  private static final Logger LOG = LoggerFactory.getLogger(PlanAtStartup.class);
  static final AtomicLong ERRORS = new AtomicLong();
  static volatile StartupPlanner.Outcome lastOutcome;

  private PlanAtStartup() {}

  static void run(
      SparkContext sc,
      SparkConf conf,
      PlannerSettings planner,
      ForesightConf.Settings settings,
      MetricRegistry metrics) {
    try {
      metrics.register(
          "plannerErrors",
          (Gauge<Long>)
              () -> {
                ActivePlan p = ActivePlan.current();
                return ERRORS.get() + (p == null ? 0L : p.failures());
              });
      metrics.register(
          "plannedExchanges",
          (Gauge<Long>)
              () -> {
                ActivePlan p = ActivePlan.current();
                return p == null ? 0L : p.placed();
              });
      String history = ForesightConf.expandHome(settings.historyPath());
      String jobKey = jobToPlan(conf, System.getProperty("sun.java.command"));
      if (jobKey == null) {
        return;
      }
      String scheduled = conf.get(ForesightConf.JOB_SCHEDULED_TIME.key(), null);
      Long scheduledMs =
          scheduled == null
              ? null
              : HistoryReader.scheduledTime(scheduled, System.currentTimeMillis());
      int baseMem = (int) conf.getSizeAsMb("spark.executor.memory", "1g");
      long t0 = System.nanoTime();
      Double listedGib = listedInputGib(conf, sc.hadoopConfiguration());
      long timeoutMs =
          ForesightConf.PLANNING_TIMEOUT.readFrom(ForesightConf.asMap(conf)).orElseThrow();
      StartupPlanner.ModelPlan planned;
      try {
        planned =
            within(
                timeoutMs,
                () ->
                    StartupPlanner.planFromModel(
                        history,
                        sc.hadoopConfiguration(),
                        jobKey,
                        scheduledMs,
                        listedGib,
                        baseMem,
                        planner));
      } catch (ModelException unreachable) {
        LOG.info("Foresight: {}; job '{}' runs as configured", unreachable.getMessage(), jobKey);
        return;
      } catch (TimeoutException slow) {
        ERRORS.incrementAndGet();
        LOG.warn(
            "Foresight: reading the model beside {} and forecasting job '{}' took longer than {} ms"
                + " ({}); abandoned, the application runs as configured",
            history,
            jobKey,
            timeoutMs,
            ForesightConf.PLANNING_TIMEOUT.key());
        return;
      }
      if (planned == null) {
        LOG.info("Foresight: no model beside {} yet; job '{}' runs as configured", history, jobKey);
        return;
      }
      ResourcePlan plan = planned.plan();
      StartupPlanner.Outcome outcome = StartupPlanner.apply(conf, plan, planner);
      lastOutcome = outcome;
      if (outcome.stageProfiles()) {
        ActivePlan.install(sc, plan, planner);
      }
      LOG.info(
          "Foresight planned job '{}' in {} ms: {}",
          jobKey,
          (System.nanoTime() - t0) / 1_000_000,
          outcome.reason());
      record(sc, history, planner, outcome, planned, StartupPlanner.configuredShape(conf, outcome));
    } catch (Exception | LinkageError e) {
      ERRORS.incrementAndGet();
      LOG.warn(
          "Foresight could not plan this application ({}); it runs as configured.", e.toString());
    }
  }

  /** Work that may throw a {@link ModelException}, for {@link #within}. */
  interface Planning<T> {
    T call() throws ModelException;
  }

  /**
   * {@code work}'s result, computed on a daemon thread "foresight-planning" that this waits for at
   * most {@code timeoutMs} ({@link TimeBox}): the driver's start is not held longer.
   *
   * @throws TimeoutException when the work took longer
   */
  static <T> T within(long timeoutMs, Planning<T> work) throws ModelException, TimeoutException {
    try {
      return TimeBox.call("foresight-planning", timeoutMs, work::call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted while planning");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ModelException m) {
        throw m;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * The key of the recurring job this application is a run of, or null (logged) when it is not one
   * ({@link JobKeys#notRecurring}): the session of a shell or notebook under its default name, or
   * an application without a name of its own, whose key's history is of unrelated work.
   */
  static String jobToPlan(SparkConf conf, String javaCommand) {
    String explicitId =
        JobKeys.givenId(
            conf.get(ForesightConf.JOB_ID.key(), null),
            JobKeys.databricksJobId(
                conf.get(JobKeys.DATABRICKS_JOB_ID, null),
                conf.get(JobKeys.DATABRICKS_CLUSTER_NAME, null)));
    String appName = conf.get("spark.app.name", "");
    String mainClass = JobKeys.mainClass(javaCommand);
    String notRecurring = JobKeys.notRecurring(explicitId, appName, mainClass);
    if (notRecurring != null) {
      LOG.info(
          "Foresight: this is {}, not a recurring job; it runs as configured (set {} to plan it"
              + " from the history of its own runs)",
          notRecurring,
          ForesightConf.JOB_ID.key());
      return null;
    }
    return JobKeys.derive(explicitId, appName, mainClass);
  }

  /**
   * The size of the run's input paths, in GiB: {@code spark.foresight.input.bytes} when set, else
   * what listing {@code spark.foresight.input.paths} finds, within {@code
   * spark.foresight.input.listTimeout}. Either is written back to the live conf as {@code
   * spark.foresight.input.bytes} in bytes, which {@code foresight.apps.conf} records, so that
   * training learns what the job reads per listed byte. Null when neither is set, or when the
   * listing failed (a warning and {@code plannerErrors}): the volume is then forecast.
   */
  static Double listedInputGib(SparkConf conf, Configuration hadoopConf) {
    java.util.Map<String, String> map = ForesightConf.asMap(conf);
    String key = ForesightConf.INPUT_BYTES.key();
    java.util.Optional<Long> given = ForesightConf.INPUT_BYTES.readFrom(map);
    if (given.isPresent()) {
      conf.set(key, Long.toString(given.get()));
      return given.get() / io.foresight.forecast.AppRun.GIB;
    }
    java.util.Optional<String> paths = ForesightConf.INPUT_PATHS.readFrom(map);
    if (paths.isEmpty()) {
      return null;
    }
    try {
      long bytes = list(map, paths.get(), hadoopConf);
      conf.set(key, Long.toString(bytes));
      return bytes / io.foresight.forecast.AppRun.GIB;
    } catch (java.io.IOException | RuntimeException e) {
      ERRORS.incrementAndGet();
      warnUnlisted(e, "the volume is forecast instead");
      return null;
    }
  }

  /**
   * With the planner off nothing waits for the input's size: {@code spark.foresight.input.paths}
   * (unless {@code spark.foresight.input.bytes} is given) is listed on a thread of its own, and
   * {@code listed} gets the size, for the application's row. A listing that fails calls {@code
   * failed} after a warning.
   */
  static void listInBackground(
      SparkConf conf,
      Configuration hadoopConf,
      java.util.function.LongConsumer listed,
      Runnable failed) {
    java.util.Map<String, String> map = ForesightConf.asMap(conf);
    java.util.Optional<String> paths = ForesightConf.INPUT_PATHS.readFrom(map);
    if (ForesightConf.INPUT_BYTES.readFrom(map).isPresent() || paths.isEmpty()) {
      return;
    }
    Configuration copy = new Configuration(hadoopConf);
    Thread t =
        new Thread(
            () -> {
              try {
                listed.accept(list(map, paths.get(), copy));
              } catch (Exception | LinkageError e) {
                failed.run();
                warnUnlisted(e, "it is not recorded for this run");
              }
            },
            "foresight-input-listing");
    t.setDaemon(true);
    t.start();
  }

  /** Lists {@code paths} within the configured timeout and logs what it found; their bytes. */
  private static long list(
      java.util.Map<String, String> map, String paths, Configuration hadoopConf)
      throws java.io.IOException {
    long timeoutMs = ForesightConf.INPUT_LIST_TIMEOUT.readFrom(map).orElseThrow();
    InputListing.Size size =
        InputListing.listWithin(InputListing.split(paths), hadoopConf, timeoutMs);
    LOG.info(
        "Foresight listed the input: {} bytes in {} files under {} ({} Delta table(s) sized"
            + " from their logs, {} Iceberg table(s) from their metadata; {} ms)",
        size.bytes(),
        size.files(),
        paths,
        size.deltaTables(),
        size.icebergTables(),
        size.millis());
    return size.bytes();
  }

  private static void warnUnlisted(Throwable e, String consequence) {
    LOG.warn(
        "Foresight could not size the input ({}): {}; {}",
        ForesightConf.INPUT_PATHS.key(),
        e.getMessage(),
        consequence);
  }

  /**
   * Writes the plan to {@code foresight.plans} and the forecast of the run to {@code
   * foresight.predictions}, both under the application's id, which {@code
   * foresight.prediction_accuracy} joins with the run once it is captured. The forecast is the
   * plan's, at the executor shape the run starts with ({@code shape}, after the plan): what the run
   * is expected to do, not what the job's usual shape would.
   */
  private static void record(
      SparkContext sc,
      String history,
      PlannerSettings planner,
      StartupPlanner.Outcome o,
      StartupPlanner.ModelPlan planned,
      StartupPlanner.Shape shape) {
    Configuration hadoopConf = new Configuration(sc.hadoopConfiguration());
    long plannedMs = System.currentTimeMillis();
    Thread t =
        new Thread(
            () -> {
              try {
                String appId = null;
                long deadline = System.currentTimeMillis() + 120_000;
                while (appId == null && System.currentTimeMillis() < deadline && !sc.isStopped()) {
                  try {
                    appId = sc.applicationId();
                  } catch (RuntimeException notYet) {
                    // the scheduler backend is not up yet
                  }
                  if (appId == null) {
                    Thread.sleep(50);
                  }
                }
                PlanTable.append(
                    history,
                    hadoopConf,
                    StartupPlanner.toRecord(o, planner.mode(), appId, "plugin", plannedMs));
                if (!planned.forecast().modelVersion().isEmpty()) {
                  PredictionTable.append(
                      history,
                      hadoopConf,
                      PredictionLog.rows(
                          planned.forecastAt(shape),
                          planned.quantile(),
                          appId,
                          "plugin",
                          plannedMs));
                }
              } catch (Exception | LinkageError e) {
                ERRORS.incrementAndGet();
                LOG.warn(
                    "Foresight could not record the plan and its forecast in {} ({})",
                    history,
                    e.toString());
              }
            },
            "foresight-plan-recorder");
    t.setDaemon(true);
    t.start();
  }
}
