package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.MemoryEvidence;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryPressureTest {
  private static final long MIB = 1L << 20;

  /** A run on 2-core executors of 1 GiB: Spark's unified region is (1024 - 300) x 0.6 MiB. */
  private static ComponentRun run(double heapMib, long spillBytes, long unifiedMib) {
    Map<Target, Double> labels = new EnumMap<>(Target.class);
    labels.put(Target.PEAK_HEAP_GIB, Double.isNaN(heapMib) ? Double.NaN : heapMib / 1024);
    labels.put(Target.SPILL_GIB, spillBytes / AppRun.GIB);
    return new ComponentRun(
        "sig", "stage", Set.of(), null, 0, labels, 0, 2, 1024 * MIB, unifiedMib * MIB);
  }

  @Test
  void aHeapNearTheExecutorsMemoryIsPressure() {
    assertTrue(run(930, 0, 50).memoryPressure(), "930 of 1024 MiB is above 90 %");
    assertFalse(run(900, 0, 50).memoryPressure(), "900 of 1024 MiB is below 90 %");
    assertFalse(run(Double.NaN, 0, 0).memoryPressure(), "nothing measured, nothing spilled");
  }

  @Test
  void aSpillIsPressureWhenTheMemoryManagerWasNearFull() {
    // One task may take half of the 434 MiB region with both slots busy: 80 % of that is 174 MiB.
    assertTrue(run(500, 10 * MIB, 200).memoryPressure());
    assertFalse(
        run(500, 10 * MIB, 20).memoryPressure(),
        "a spill with the region nearly empty was not for want of memory");
    assertTrue(run(500, 10 * MIB, 0).memoryPressure(), "unified memory not measured");
  }

  @Test
  void memoryPerCoreNeedsBothTheMemoryAndTheCores() {
    assertEquals(512.0, run(500, 0, 0).memoryMibPerCore());
    Map<Target, Double> labels = new EnumMap<>(Target.class);
    assertEquals(
        0.0,
        new ComponentRun("sig", "stage", Set.of(), null, 0, labels, 0, 0, 1024 * MIB, 0)
            .memoryMibPerCore());
  }

  @Test
  void evidenceProvesTheLargestSizeWithoutPressureUpToItsVolume() {
    MemoryEvidence e = MemoryEvidence.NONE.observe(512, false, 2.0).observe(512, false, 3.0);
    assertEquals(512.0, e.ceilingMibPerCore(3.3));
    assertEquals(0.0, e.ceilingMibPerCore(3.4), "more than 1.1x the largest proven input");
    assertEquals(e, e.observe(0, true, 9.0), "an unknown size says nothing");
    assertEquals(e, e.observe(256, true, 1.0), "pressure on smaller executors says nothing of 512");
    MemoryEvidence bigger = e.observe(640, false, 1.0);
    assertEquals(640.0, bigger.ceilingMibPerCore(1.0), "a larger size supersedes");
    assertEquals(0.0, bigger.ceilingMibPerCore(2.0), "but is proven only for its own volumes");
    MemoryEvidence pressed = e.observe(512, true, 1.0);
    assertEquals(0.0, pressed.ceilingMibPerCore(1.0), "pressure at the size: nothing proven");
    assertEquals(0.0, pressed.observe(512, false, 3.0).ceilingMibPerCore(1.0), "and it stays");
    assertEquals(pressed, e.then(MemoryEvidence.NONE.observe(512, true, 1.0)));
  }
}
