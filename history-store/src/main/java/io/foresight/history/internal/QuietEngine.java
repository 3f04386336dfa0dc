package io.foresight.history.internal;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.metrics.MetricsReport;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel's default engine, whose metrics reports (a JSON line per snapshot and per transaction,
 * eight per commit of the history) go to this class's log at debug rather than to the application's
 * log at info.
 */
public final class QuietEngine extends DefaultEngine {
  private static final Logger LOG = LoggerFactory.getLogger(QuietEngine.class);
  private static final List<MetricsReporter> REPORTERS = List.of(QuietEngine::report);

  public QuietEngine(Configuration conf) {
    super(new HadoopFileIO(conf));
  }

  @Override
  public List<MetricsReporter> getMetricsReporters() {
    return REPORTERS;
  }

  private static void report(MetricsReport report) {
    if (LOG.isDebugEnabled()) {
      try {
        LOG.debug("Delta Kernel {}: {}", report.getClass().getSimpleName(), report.toJson());
      } catch (Exception e) { // Kernel's (shaded) Jackson exception
        LOG.debug("Delta Kernel {}: {}", report.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
