package io.foresight.spark;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.foresight.capture.CaptureEvent;
import io.foresight.capture.CaptureListener;
import io.foresight.capture.CaptureStats;
import io.foresight.capture.CaptureWriter;
import io.foresight.config.ConfigException;
import io.foresight.history.HistoryStore;
import io.foresight.plan.PlannerConf;
import io.foresight.plan.PlannerSettings;
import io.foresight.spark.plan.ActivePlan;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side of the plugin. {@link #init} runs on the thread building the SparkContext, before
 * executors exist: it checks the configuration (a bad value fails here, with key, value and
 * expected form), turns on the executor metrics capture needs, and starts the writer thread. All
 * I/O happens on that thread. Anything else that fails degrades to a logged warning.
 */
final class ForesightDriverPlugin implements DriverPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(ForesightDriverPlugin.class);
  static final String LISTENER_QUEUE = "foresight";

  static volatile CaptureStats lastStats;

  private volatile CaptureWriter writer;
  private SparkContext sc;
  private ForesightConf.Settings settings;

  /** Messages from the executor side: the heap a collection left while a stage ran. */
  @Override
  public Object receive(Object message) {
    CaptureWriter w = writer;
    if (w != null && message instanceof ForesightExecutorPlugin.HeapAfterGc h) {
      w.accept(
          new CaptureEvent.ExecutorPeaks(
              h.executorId(),
              h.stageId(),
              h.stageAttemptId(),
              CaptureEvent.Peaks.heapAfterGc(h.bytes())));
    }
    return null;
  }

  @Override
  public Map<String, String> init(SparkContext sc, PluginContext ctx) {
    SparkConf conf = ctx.conf();
    Map<String, String> map = ForesightConf.asMap(conf);
    settings = ForesightConf.parse(map); // ConfigException fails the SparkContext, by design
    if (!settings.enabled()) {
      LOG.info("Foresight is disabled (spark.foresight.enabled=false)");
      return Map.of();
    }
    PlannerSettings planner = PlannerConf.parse(map); // likewise
    ShadedLogging.quiet();
    this.sc = sc;
    if (!planner.mode().equals("off")) {
      PlanAtStartup.run(sc, conf, planner, settings, ctx.metricRegistry());
    }
    CaptureStats stats = new CaptureStats();
    lastStats = stats;
    try {
      enableExecutorMetrics(conf);
      registerMetrics(ctx.metricRegistry(), stats);
      if (sc.isLocal() && ForesightConf.HEAP_AFTER_GC.readFrom(map).orElse(true)) {
        // the local executor's metric (see ForesightExecutorPlugin.LOCAL_WATCH)
        ctx.metricRegistry()
            .register(
                ForesightExecutorPlugin.NOTIFICATION_TIMEOUTS,
                (Gauge<Long>) ForesightExecutorPlugin::localNotificationTimeouts);
      }
      Configuration hadoopConf = new Configuration(sc.hadoopConfiguration());
      HistoryStore store =
          HistoryStore.open(
              ForesightConf.expandHome(settings.historyPath()),
              settings.spoolDir(),
              hadoopConf,
              settings.commitRetries());
      writer =
          CaptureWriter.start(
              store,
              new CaptureWriter.Policy(
                  settings.flushIntervalMs(),
                  settings.flushOnJobEnd(),
                  settings.commitMinGapMs(),
                  settings.queueCapacity()),
              stats);
      writer.accept(new CaptureEvent.VersionSeen(sc.version()));
      if (planner.mode().equals("off")) {
        CaptureWriter w = writer;
        PlanAtStartup.listInBackground(
            conf,
            sc.hadoopConfiguration(),
            bytes -> w.accept(new CaptureEvent.InputListed(bytes)),
            stats::countError);
      }
      sc.listenerBus().addToQueue(new CaptureListener(writer), LISTENER_QUEUE);
      LOG.info(
          "Foresight capture on: history {}, spool {}", store.location().root(), store.spoolDir());
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      stats.countError();
      LOG.warn(
          "Foresight could not start capture ({}); the application runs without it.", e.toString());
    }
    return Map.of();
  }

  private void enableExecutorMetrics(SparkConf conf) {
    if (settings.metricsPollingMs() > 0
        && !conf.contains("spark.executor.metrics.pollingInterval")) {
      conf.set("spark.executor.metrics.pollingInterval", settings.metricsPollingMs() + "ms");
    }
    if (settings.processTreeMetrics()
        && !conf.contains("spark.executor.processTreeMetrics.enabled")) {
      conf.set("spark.executor.processTreeMetrics.enabled", "true");
    }
  }

  private static void registerMetrics(MetricRegistry registry, CaptureStats stats) {
    gauge(registry, "eventsReceived", stats, CaptureStats::eventsReceived);
    gauge(registry, "eventsDropped", stats, CaptureStats::eventsDropped);
    gauge(registry, "rowsSpooled", stats, CaptureStats::rowsSpooled);
    gauge(registry, "spoolRolls", stats, CaptureStats::spoolRolls);
    gauge(registry, "rowsCommitted", stats, CaptureStats::rowsCommitted);
    gauge(registry, "rowsRecovered", stats, CaptureStats::rowsRecovered);
    gauge(registry, "commitFailures", stats, CaptureStats::commitFailures);
    gauge(registry, "errors", stats, CaptureStats::errors);
    gauge(registry, "writerCpuMillis", stats, CaptureStats::writerCpuMillis);
  }

  private static void gauge(
      MetricRegistry registry, String name, CaptureStats stats, ToLongFunction<CaptureStats> f) {
    registry.register(name, (Gauge<Long>) () -> f.applyAsLong(stats));
  }

  @Override
  public void shutdown() {
    if (sc != null) {
      ActivePlan.uninstall(sc);
    }
    if (writer != null) {
      writer.stop(settings.shutdownTimeoutMs());
      LOG.info("Foresight capture stopped: {}", lastStats);
    }
  }
}
