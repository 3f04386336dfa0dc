package io.foresight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.DemandRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options of {@code predict} and {@code plan} that describe the coming run, as the forecaster
 * issue spells them ({@code --input-bytes N}, {@code --at TIME}) and as earlier versions did
 * ({@code --input-gib X}, {@code --start ISO}). No Spark: the request is built before any history
 * is read.
 */
class PredictOptionsTest {
  @TempDir Path root;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private DemandRequest request(String... argv) {
    err.reset();
    String[] full = new String[argv.length + 1];
    full[0] = "predict";
    System.arraycopy(argv, 0, full, 1, argv.length);
    return ForecastCommands.request(
        ForesightCli.Args.parse(full),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        "predict");
  }

  private String error() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void inputVolumeInBytesSizesOrGib() {
    assertEquals(12.0, request("--job", "j", "--input-bytes", "12884901888").inputGib(), 1e-12);
    assertEquals(12.0, request("--job", "j", "--input-bytes", "12g").inputGib(), 1e-12);
    assertEquals(0.5, request("--job", "j", "--input-bytes", "512m").inputGib(), 1e-12);
    assertEquals(0.0, request("--job", "j", "--input-bytes", "0").inputGib(), 0);
    assertEquals(12.5, request("--job", "j", "--input-gib", "12.5").inputGib(), 0);
    assertNull(request("--job", "j").inputGib(), "no volume given: the seasonal forecast's");
  }

  @Test
  void inputVolumeOfAPath() throws Exception {
    Path dir = Files.createDirectories(root.resolve("in"));
    Files.write(dir.resolve("part-0"), new byte[1 << 20]);
    Files.write(dir.resolve("part-1"), new byte[1 << 19]);
    Files.write(dir.resolve("_SUCCESS"), new byte[1 << 19]); // not data: left out
    Files.createDirectories(dir.resolve("_temporary/0"));
    Files.write(dir.resolve("_temporary/0/part-9"), new byte[1 << 19]); // a job's leftovers
    Files.write(dir.resolve(".part-0.crc"), new byte[1 << 10]);
    Path day = Files.createDirectories(dir.resolve("date=2026-12-05"));
    Files.write(day.resolve("part-2"), new byte[1 << 18]);
    DemandRequest r = request("--job", "j", "--input", dir.toString());
    assertNull(r.inputGib(), "a listing is not the volume: the job's runs relate the two");
    assertEquals((1 << 20) + (1 << 19) + (1 << 18), r.listedInputGib() * (1L << 30), 1e-3);
    // globs, and several paths
    DemandRequest glob = request("--job", "j", "--input", dir + "/part-*," + day);
    assertEquals((1 << 20) + (1 << 19) + (1 << 18), glob.listedInputGib() * (1L << 30), 1e-3);
  }

  @Test
  void startAsIsoInstantOrEpochMillis() {
    long ms = 1_795_399_200_000L; // 2026-11-23T02:00:00Z
    assertEquals(ms, request("--job", "j", "--at", "2026-11-23T02:00:00Z").startMs());
    assertEquals(ms, request("--job", "j", "--at", "2026-11-23T03:00:00+01:00").startMs());
    assertEquals(ms, request("--job", "j", "--at", Long.toString(ms)).startMs());
    assertEquals(ms, request("--job", "j", "--start", "2026-11-23T02:00:00Z").startMs());
    assertNull(request("--job", "j").startMs(), "no start given: now, when forecasting");
  }

  @Test
  void executorShape() {
    DemandRequest r = request("--job", "j", "--executors", "6", "--cores", "4");
    assertEquals(6, r.executors());
    assertEquals(4, r.executorCores());
  }

  @Test
  void badValuesNameTheOptionAndWhatItExpects() {
    assertNull(request("--job", "j", "--input-bytes", "lots"));
    assertTrue(error().contains("--input-bytes expects a byte count >= 0"), error());
    assertTrue(error().contains("got 'lots'"), error());
    assertNull(request("--job", "j", "--input-bytes", "-5"));
    assertTrue(error().contains("--input-bytes expects"), error());
    assertNull(request("--job", "j", "--input-bytes", "99999999999t"));
    assertTrue(error().contains("--input-bytes expects"), error());
    assertNull(request("--job", "j", "--input-gib", "-1"));
    assertTrue(error().contains("--input-gib expects a number of GiB >= 0"), error());
    assertNull(request("--job", "j", "--input-gib", "NaN"));
    assertTrue(error().contains("--input-gib expects"), error());
    assertNull(request("--job", "j", "--input", root.resolve("nothing-here").toString()));
    assertTrue(error().contains("nothing-here' matches no file or folder"), error());
    assertNull(request("--job", "j", "--at", "tomorrow"));
    assertTrue(error().contains("--at expects epoch milliseconds or an ISO-8601 date"), error());
    assertNull(request("--job", "j", "--start", "yesterday"));
    assertTrue(error().contains("--start expects"), error());
    assertNull(request("--job", "j", "--executors", "0"));
    assertTrue(error().contains("--executors expects a whole number >= 1, got '0'"), error());
  }

  @Test
  void oneInputVolumeAndOneStartOnly() {
    assertNull(request("--job", "j", "--input-gib", "1", "--input-bytes", "1g"));
    assertTrue(
        error().contains("give the input volume once, got --input-gib and --input-bytes"), error());
    assertNull(request("--job", "j", "--at", "1", "--start", "2"));
    assertTrue(error().contains("give the run's start once"), error());
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() throws Exception {
    for (String[] argv : new String[][] {{"help"}, {"--help"}, {"-h"}, {"predict", "--help"}}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc = CliCapture.run(argv, out, err);
      assertEquals(0, rc, String.join(" ", argv));
      String usage = out.toString(StandardCharsets.UTF_8);
      assertTrue(usage.startsWith("usage: bin/foresight <command>"), usage);
      assertTrue(usage.contains("--input-bytes N") && usage.contains("--at TIME"), usage);
    }
  }
}
