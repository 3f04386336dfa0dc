package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.ForecastModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives a LOW forecast with a reason naming the problem, never an exception. */
class BadInputTest {
  @TempDir Path dir;

  private static ForecastModel emptyModel(String version) {
    return ForecastModel.empty(version, Features.GLOBAL);
  }

  private DemandForecast forecastFrom(Path history) {
    DemandForecaster f = DemandForecaster.open(history.toString());
    DemandForecast d = f.forecast(DemandRequest.of("nightly").withInputGib(1));
    assertEquals(Confidence.LOW, d.confidence());
    assertFalse(d.actionable());
    assertTrue(d.stages().isEmpty());
    assertTrue(Double.isNaN(d.wallClockSeconds().point()));
    return d;
  }

  @Test
  void noModelYet() {
    String reason = forecastFrom(dir.resolve("history")).reason();
    assertTrue(
        reason.contains("No trained model") && reason.contains("bin/foresight train"), reason);
  }

  @Test
  void noModelYetInAStoreAlreadyOpenedAndNoStoreAtAll() throws Exception {
    DemandForecaster empty =
        DemandForecaster.openForJob(ModelStore.of(dir.resolve("none").toString()), "nightly");
    assertTrue(empty.problem().contains("No trained model"), empty.problem());
    assertEquals(Confidence.LOW, empty.forecast(DemandRequest.of("nightly")).confidence());
    DemandForecaster none = DemandForecaster.openForJob((ModelStore) null, "nightly");
    assertTrue(none.problem().contains("No model store given"), none.problem());
    assertEquals(Confidence.LOW, none.forecast(DemandRequest.of("nightly")).confidence());
  }

  @Test
  void latestNamesAMissingVersion() throws Exception {
    Path models = dir.resolve("h").resolve("models");
    Files.createDirectories(models);
    Files.writeString(models.resolve("LATEST"), "20260101T000000Z\n");
    String reason = forecastFrom(dir.resolve("h")).reason();
    assertTrue(reason.contains("Model version 20260101T000000Z has no"), reason);
  }

  @Test
  void corruptModelFile() throws Exception {
    ModelStore store = ModelStore.of(dir.resolve("c").toString());
    Path file = Path.of(store.save(emptyModel("v1")));
    Files.writeString(file, "{\"formatVersion\": 1, \"targets\": {\"executor_seconds\": [");
    String reason = forecastFrom(dir.resolve("c")).reason();
    assertTrue(reason.contains("is not a valid model file"), reason);
    Files.write(file, new byte[] {0, 1, 2, 3});
    assertTrue(forecastFrom(dir.resolve("c")).reason().contains("is not a valid model file"));
    Files.writeString(file, "{\"formatVersion\": 1, \"jobs\": 12}");
    String damaged = forecastFrom(dir.resolve("c")).reason();
    assertTrue(damaged.contains("damaged") && damaged.contains("$.jobs should be"), damaged);
  }

  @Test
  void aDamagedValueIsNamedByWhereItSits() {
    String tree = "{\"feature\":[-1],\"threshold\":[0],\"left\":[0],\"right\":[0],\"value\":[2]}";
    var e =
        assertThrows(
            ModelJson.MismatchException.class,
            () ->
                ModelJson.read(
                    ("{\"trees\":[" + tree + "," + tree.replace("[2]", "[2,true]") + "]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    io.foresight.forecast.model.TreeEnsemble.class));
    assertTrue(
        e.getMessage().startsWith("$.trees[1].value[1] should be a number but is VALUE_TRUE"),
        e.getMessage());
  }

  @Test
  void incompatibleModelVersion() throws Exception {
    ModelStore store = ModelStore.of(dir.resolve("i").toString());
    Path file = Path.of(store.save(emptyModel("v1")));
    Files.writeString(
        file, Files.readString(file).replace("\"formatVersion\":2", "\"formatVersion\":99"));
    String reason = forecastFrom(dir.resolve("i")).reason();
    assertTrue(
        reason.contains("model format 99") && reason.contains("reads formats 1 to 2"), reason);
  }

  @Test
  void unknownJobKeyAndMissingKey() throws Exception {
    ModelStore.of(dir.resolve("u").toString()).save(emptyModel("v1"));
    String reason = forecastFrom(dir.resolve("u")).reason();
    assertTrue(reason.contains("Unknown job key 'nightly'"), reason);
    DemandForecaster f = DemandForecaster.open(dir.resolve("u").toString());
    assertEquals("No job key given", f.forecast(DemandRequest.of(" ")).reason());
    assertEquals("No job key given", f.forecast(null).reason());
  }

  @Test
  void badRequestValuesAreRefusedClearly() {
    assertThrows(IllegalArgumentException.class, () -> new RunContext(-1, 1, 1, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Target.byColumn("nope"));
    assertTrue(e.getMessage().contains("'nope'"));
  }

  @Test
  void versionNamesCannotEscapeTheModelFolder() throws Exception {
    ModelStore store = ModelStore.of(dir.resolve("e").toString());
    ModelException e = assertThrows(ModelException.class, () -> store.load("../../etc"));
    assertTrue(e.getMessage().contains("not a model version name"));
    assertEquals(List.of(), store.versions());
  }

  @Test
  void aHistoryWhoseFileSystemHasNoConnectorIsSaidAndNotForecast() {
    // S3 without hadoop-aws on the classpath, as on this machine
    ModelException e =
        assertThrows(ModelException.class, () -> ModelStore.of("s3a://bucket/history"));
    assertTrue(e.getMessage().contains("s3a://bucket/history/models"), e.getMessage());
    assertTrue(e.getMessage().contains("Hadoop connector for 's3a'"), e.getMessage());
    DemandForecaster none = DemandForecaster.openForJob("s3a://bucket/history", "etl");
    assertEquals(null, none.model());
    assertTrue(none.problem().contains("s3a://bucket/history/models"), none.problem());
    DemandForecast d = none.forecast(DemandRequest.of("etl"));
    assertEquals(Confidence.LOW, d.confidence());
  }
}
