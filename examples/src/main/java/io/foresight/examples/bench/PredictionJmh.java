package io.foresight.examples.bench;

import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the forecaster's serving path, on the model of a 50-stage job that {@code
 * bin/foresight bench-forecast model --out DIR} trains; {@code bin/foresight bench-forecast jmh
 * --history DIR} runs them ({@link ForecastBenchmark#jmh}).
 *
 * <ul>
 *   <li>{@link Warm#forecast}: one prediction with the model loaded and the code compiled, as the
 *       planner makes them once a driver has started (goal ≤ 20 ms);
 *   <li>{@link First#openAndForecast}: in a fresh JVM, loading the model and making the first
 *       prediction, as spark-submit's feature step or a driver's plugin does once (goal ≤ 300 ms).
 *       Each fork measures it once: JMH's single-shot mode over many forks.
 * </ul>
 */
public final class PredictionJmh {
  private PredictionJmh() {}

  /** The job whose model {@link ForecastBenchmark#model} trains. */
  static final String JOB = "job-0";

  static final int STAGES = 50;

  static DemandRequest request(double inputGib) {
    return DemandRequest.of(JOB).withInputGib(inputGib).withStartMs(1_767_225_600_000L);
  }

  static void checkHistory(String history) {
    if (history == null || history.isEmpty() || !Files.isDirectory(Path.of(history, "models"))) {
      throw new IllegalStateException(
          "-p history=DIR must name a history with a trained model, got '"
              + history
              + "'; create one with: bin/foresight bench-forecast model --out DIR");
    }
  }

  static DemandForecast checked(DemandForecast f) {
    if (f.stages().size() != STAGES) {
      throw new IllegalStateException(
          "expected a forecast of " + STAGES + " stages, got " + f.stages().size() + ": " + f);
    }
    return f;
  }

  /** Warm predictions: the forecaster is opened once per fork, then called in a loop. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(2)
  public static class Warm {
    @Param("")
    public String history;

    private DemandForecaster forecaster;
    private final DemandRequest[] requests = new DemandRequest[10];
    private int next;

    @Setup(Level.Trial)
    public void open() {
      checkHistory(history);
      forecaster = DemandForecaster.open(history);
      for (int i = 0; i < requests.length; i++) {
        requests[i] = request(1 + 0.1 * i); // volumes as the job's runs had them
      }
      checked(forecaster.forecast(requests[0]));
    }

    @Benchmark
    public DemandForecast forecast() {
      next = (next + 1) % requests.length;
      return forecaster.forecast(requests[next]);
    }
  }

  /** The first prediction of a JVM, model load included; once per fork. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(10)
  public static class First {
    @Param("")
    public String history;

    @Setup(Level.Trial)
    public void startLogging() {
      checkHistory(history);
      // Inside spark-submit and a driver, logging is up before Foresight runs: start it here, out
      // of the measurement. Jackson, the model classes and MLlib's BLAS load inside it.
      org.slf4j.LoggerFactory.getLogger(PredictionJmh.class).debug("logging initialised");
    }

    @Benchmark
    public DemandForecast openAndForecast() {
      return checked(DemandForecaster.open(history).forecast(request(1.3)));
    }
  }
}
