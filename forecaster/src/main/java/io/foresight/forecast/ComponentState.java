package io.foresight.forecast;

import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.ScalingModel;
import io.foresight.forecast.model.StageShape;
import java.util.Map;
import java.util.TreeMap;

/**
 * What has been seen of one component so far, updated run by run in time order. Its snapshot before
 * a run gives that run's lag features, so training never sees the future.
 */
final class ComponentState {
  static final double EWMA_WEIGHT = 0.4;

  private final String signature;
  private String name;
  private int runs;
  private StageShape shape;
  private final Map<String, Double> lag = new TreeMap<>();
  private double inputShare;
  private long lastSeenMs;

  ComponentState(String signature) {
    this.signature = signature;
  }

  int runs() {
    return runs;
  }

  ComponentModel snapshot(ComponentRun current, Map<String, ScalingModel> scaling) {
    StageShape s = shape != null ? shape : current.shape();
    String n = name != null ? name : current.name();
    return new ComponentModel(
        signature, n, runs, s, scaling, new TreeMap<>(lag), inputShare, lastSeenMs);
  }

  Double lag(Target t) {
    return lag.get(t.column());
  }

  void observe(ComponentRun c, AppRun app) {
    double logInput = Features.logInput(app.inputGib());
    for (Map.Entry<Target, Double> e : c.labels().entrySet()) {
      double v = e.getKey().toLog(e.getValue()) - logInput;
      if (Double.isNaN(v)) {
        continue;
      }
      lag.merge(e.getKey().column(), v, (old, now) -> old + EWMA_WEIGHT * (now - old));
    }
    double share = app.inputBytes() > 0 ? (double) c.inputBytes() / app.inputBytes() : 0;
    inputShare = runs == 0 ? share : inputShare + EWMA_WEIGHT * (share - inputShare);
    runs++;
    shape = c.shape();
    name = c.name();
    lastSeenMs = Math.max(lastSeenMs, app.startMs());
  }
}
