package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The logical dates schedulers pass as {@code spark.foresight.job.scheduledTime} or {@code --at}.
 */
class ScheduledTimeTest {
  private static final long BAD = Long.MIN_VALUE;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "1796522400000;2026-12-06T02:00:00Z",
        "2026-12-06T02:00:00Z;2026-12-06T02:00:00Z",
        "2026-12-06T02:00:00.250Z;2026-12-06T02:00:00.250Z",
        // Airflow's {{ ts }} and an offset other than UTC
        "2026-12-06T02:00:00+00:00;2026-12-06T02:00:00Z",
        "2026-12-06T03:00:00+01:00;2026-12-06T02:00:00Z",
        // no offset: UTC, the calendar features' zone
        "2026-12-06T02:00;2026-12-06T02:00:00Z",
        "2026-12-06T02:00:00;2026-12-06T02:00:00Z",
        // Airflow's {{ ds }}: the day's midnight, UTC
        "2026-12-06;2026-12-06T00:00:00Z",
        // Python's str(datetime), with and without an offset
        "2026-12-06 02:00:00+00:00;2026-12-06T02:00:00Z",
        "2026-12-06 02:00:00.123456;2026-12-06T02:00:00.123Z",
        "  2026-12-06T02:00:00Z  ;2026-12-06T02:00:00Z",
      })
  void readsTheFormsSchedulersPass(String value, String expected) {
    assertEquals(Instant.parse(expected).toEpochMilli(), HistoryReader.scheduledTime(value, BAD));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = ';',
      value = {"tomorrow", "2026-13-01", "2026-12-06T25:00:00Z", "06/12/2026", "20261206T020000"})
  void refusesWhatIsNotADate(String value) {
    assertEquals(BAD, HistoryReader.scheduledTime(value, BAD));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      value = {"''", "'   '"},
      emptyValue = "")
  void unsetIsTheFallback(String value) {
    assertEquals(42L, HistoryReader.scheduledTime(value, 42L));
  }
}
