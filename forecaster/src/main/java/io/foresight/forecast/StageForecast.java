package io.foresight.forecast;

import java.util.List;
import java.util.Map;

/**
 * The forecast of one component (stage signature) of a job: its place in the DAG and an estimate
 * per target. {@code numTasks} is what its last run had; {@code shape} what the stage does
 * (operators, formats), null when the model does not know it. {@code gpuSpeedup} is its measured
 * speed-up on GPU executors (see {@link io.foresight.forecast.model.ComponentModel#gpuSpeedup}), 0
 * when not measured; the time estimates are for CPU executors. {@code memoryCeilingMibPerCore} is
 * the executor memory per core that its runs showed to be enough at this run's input volume (see
 * {@link io.foresight.forecast.model.ComponentModel#provenMibPerCore}), 0 when none: a memory bound
 * above it is not evidence that the stage needs more.
 */
public record StageForecast(
    String signature,
    String name,
    List<String> parents,
    int numTasks,
    String model,
    Map<Target, Estimate> estimates,
    io.foresight.forecast.model.StageShape shape,
    double gpuSpeedup,
    double memoryCeilingMibPerCore) {
  public Estimate get(Target t) {
    return estimates.get(t);
  }
}
