package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.examples.GenerateHistory;
import org.junit.jupiter.api.Test;

/**
 * {@code generate-history}'s task slots when {@code --cores} is not given: one core is left for the
 * driver and the JVM's own threads, as a production executor has its cores to itself.
 */
class GenerateHistoryCoresTest {
  @Test
  void leavesOneCoreForTheRestInLocalMode() {
    assertEquals(1, GenerateHistory.defaultCores(false, 2));
    assertEquals(7, GenerateHistory.defaultCores(false, 8));
  }

  @Test
  void neverFewerThanOneSlot() {
    assertEquals(1, GenerateHistory.defaultCores(false, 1));
    assertEquals(1, GenerateHistory.defaultCores(true, 1));
  }

  @Test
  void atMostTheEmbeddedWorkersCoresOnTheCluster() {
    assertEquals(1, GenerateHistory.defaultCores(true, 2));
    assertEquals(2, GenerateHistory.defaultCores(true, 3));
    assertEquals(2, GenerateHistory.defaultCores(true, 16));
  }
}
