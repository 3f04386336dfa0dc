package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.capture.CaptureEvent.AppEnded;
import io.foresight.capture.CaptureEvent.AppStarted;
import io.foresight.capture.CaptureEvent.EnvironmentSeen;
import io.foresight.capture.CaptureEvent.InputListed;
import io.foresight.history.AppRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An input size listed after start-up lands in the application's conf, where training reads it. */
class ListedInputTest {
  private static final String KEY = "spark.foresight.input.bytes";

  private final List<AppRecord> apps = new ArrayList<>();
  private final HistoryAggregator aggregator = Collecting.rows(AppRecord.class, apps);

  @Test
  void aSizeListedAtAnyTimeIsInTheApplicationsConf() throws Exception {
    aggregator.accept(new InputListed(5000)); // before Spark posted the environment
    aggregator.accept(environment(Map.of()));
    aggregator.accept(new AppStarted("app-1", null, "etl", "me", 0));
    aggregator.accept(new AppEnded(10, 0));
    assertEquals("5000", apps.get(apps.size() - 1).conf().get(KEY));
    assertEquals("local[2]", apps.get(apps.size() - 1).conf().get("spark.master"));
  }

  @Test
  void aSizeTheConfGivesIsKept() throws Exception {
    aggregator.accept(environment(Map.of(KEY, "7")));
    aggregator.accept(new AppStarted("app-1", null, "etl", "me", 0));
    aggregator.accept(new InputListed(5000));
    aggregator.accept(new AppEnded(10, 0));
    assertEquals("7", apps.get(apps.size() - 1).conf().get(KEY));
  }

  @Test
  void withoutAListingTheConfHasNoSize() throws Exception {
    aggregator.accept(environment(Map.of()));
    aggregator.accept(new AppStarted("app-1", null, "etl", "me", 0));
    aggregator.accept(new AppEnded(10, 0));
    assertEquals(null, apps.get(apps.size() - 1).conf().get(KEY));
  }

  private static EnvironmentSeen environment(Map<String, String> extra) {
    Map<String, String> props = new java.util.HashMap<>(extra);
    props.put("spark.master", "local[2]");
    props.put("spark.app.name", "etl");
    return new EnvironmentSeen(props, Map.of());
  }
}
