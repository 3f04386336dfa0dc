package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.ForecastModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training keeps the newest model versions and the one in use, and deletes the rest. */
class ModelRetentionTest {
  @TempDir Path history;

  private static ForecastModel model(String version) {
    return ForecastModel.empty(version, List.of());
  }

  private List<String> saveVersions(ModelStore store, int n) throws Exception {
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String v = ModelStore.versionAt(1_767_225_600_000L + i * 86_400_000L);
      store.save(model(v));
      versions.add(v);
    }
    return versions;
  }

  @Test
  void keepsTheNewestVersionsAndDeletesTheOthersWhole() throws Exception {
    ModelStore store = ModelStore.of(history.toString());
    List<String> versions = saveVersions(store, 13);
    assertTrue(Files.isRegularFile(store.root().resolve(versions.get(0)).resolve("global.json")));

    assertEquals(versions.subList(0, 3), store.prune(10));
    assertEquals(versions.subList(3, 13), store.versions());
    for (String gone : versions.subList(0, 3)) {
      assertFalse(Files.exists(store.root().resolve(gone)), gone);
    }
    assertEquals(versions.get(12), store.latestVersion());
    assertEquals(List.of(), store.prune(10), "nothing more to delete");
  }

  @Test
  void theVersionInUseIsKeptEvenWhenOld() throws Exception {
    ModelStore store = ModelStore.of(history.toString());
    List<String> versions = saveVersions(store, 4);
    // a rollback: LATEST names an older version
    Files.writeString(store.root().resolve("LATEST"), versions.get(0) + "\n");
    assertEquals(versions.subList(1, 3), store.prune(1));
    assertEquals(List.of(versions.get(0), versions.get(3)), store.versions());
    assertEquals(versions.get(0), DemandForecaster.open(history.toString()).model().version());
  }

  @Test
  void nothingIsDeletedWhileTheVersionInUseIsUnknown() throws Exception {
    ModelStore store = ModelStore.of(history.toString());
    List<String> versions = saveVersions(store, 3);
    Files.writeString(store.root().resolve("LATEST"), "\n");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> store.prune(1));
    assertTrue(e.getMessage().startsWith("Not deleting old model versions"), e.getMessage());
    assertTrue(e.getMessage().contains("LATEST is empty"), e.getMessage());
    assertEquals(versions, store.versions());
  }

  @Test
  void keepingNoneIsRefused() throws Exception {
    ModelStore store = ModelStore.of(history.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.prune(0));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }
}
