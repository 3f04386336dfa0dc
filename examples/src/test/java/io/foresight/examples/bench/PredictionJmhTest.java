package io.foresight.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH harness behind {@code bin/foresight bench-forecast jmh}, run short (one fork, no warm-up,
 * one brief measurement) on the 50-stage model {@code bench-forecast model} trains: both benchmarks
 * run in forked JVMs, forecast all 50 stages (a benchmark that throws fails the run), and leave
 * JMH's JSON. It checks that the harness works, not how fast: docs/BENCHMARKS.md has the timings of
 * full runs.
 */
class PredictionJmhTest {
  @TempDir Path dir;

  @Test
  void bothBenchmarksRunOnTheTrainedModelAndWriteJmhResults() throws Exception {
    String history = dir.resolve("history").toString();
    ForecastBenchmark.model(history, 1);
    Path json = dir.resolve("jmh.json");
    Collection<RunResult> results =
        new Runner(
                ForecastBenchmark.jmhOptions(history, json.toString())
                    .forks(1)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(500))
                    .build())
            .run();

    Map<String, RunResult> byMethod = new HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      assertTrue(name.startsWith(PredictionJmh.class.getName()), name);
      assertEquals(history, r.getParams().getParam("history"));
      byMethod.put(name.substring(name.lastIndexOf('.') + 1), r);
    }
    assertEquals(2, byMethod.size(), byMethod.keySet().toString());
    RunResult warm = byMethod.get("forecast");
    RunResult first = byMethod.get("openAndForecast");
    assertTrue(warm.getPrimaryResult().getStatistics().getN() > 10, "warm samples");
    assertTrue(warm.getPrimaryResult().getStatistics().getPercentile(50) > 0);
    assertEquals(1, first.getPrimaryResult().getStatistics().getN(), "one first prediction");
    assertTrue(first.getPrimaryResult().getScore() > 0);
    assertEquals("ms/op", first.getPrimaryResult().getScoreUnit());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ForecastBenchmark.report(results, new PrintStream(out, true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("jmh first prediction incl. model load (1 fresh JVMs)"), report);
    assertTrue(report.contains("jmh warm prediction, 50-stage job"), report);
    assertTrue(report.contains("(goal <= 20 ms)") && report.contains("(goal <= 300 ms)"), report);

    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertEquals(2, written.size(), written.toString());
    for (JsonNode b : written) {
      assertTrue(b.get("benchmark").asText().startsWith(PredictionJmh.class.getName()));
      assertEquals(history, b.get("params").get("history").asText());
    }
  }

  @Test
  void aHistoryWithoutAModelIsRefusedBeforeJmhStarts() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ForecastBenchmark.jmh(
                    dir.resolve("empty").toString(), dir.resolve("r.json").toString()));
    assertTrue(
        e.getMessage().contains("bin/foresight bench-forecast model --out DIR"), e.getMessage());
  }
}
