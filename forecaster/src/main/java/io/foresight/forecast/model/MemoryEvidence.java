package io.foresight.forecast.model;

/**
 * What a component's runs showed about executor memory: the most memory per core it ran with,
 * whether a run at that size showed memory pressure, and the largest job input a run at that size
 * had without pressure. A size with no pressure is proven enough, up to that input; see {@link
 * #ceilingMibPerCore}.
 *
 * @param mostMibPerCore the most executor memory per core of its runs, MiB; 0 when none was known
 * @param pressureAtMost whether a run at that size spilled while its memory manager was near full,
 *     or had a heap peak near the executor's memory
 * @param provenInputGib the largest job input of a run at that size without pressure, GiB
 */
public record MemoryEvidence(double mostMibPerCore, boolean pressureAtMost, double provenInputGib) {
  public static final MemoryEvidence NONE = new MemoryEvidence(0, false, 0);

  /** Sizes within half a MiB per core are the same size. */
  private static final double SAME = 0.5;

  /**
   * A proven size covers a run whose input is at most this much above the largest input a run had
   * at that size without pressure.
   */
  public static final double VOLUME_SLACK = 1.1;

  /** The evidence after one more run of {@code mibPerCore} (0: unknown, ignored). */
  public MemoryEvidence observe(double mibPerCore, boolean pressure, double inputGib) {
    if (!(mibPerCore > 0)) {
      return this;
    }
    return then(new MemoryEvidence(mibPerCore, pressure, pressure ? 0 : inputGib));
  }

  /** This evidence followed by {@code later}'s (runs after these): a larger size supersedes. */
  public MemoryEvidence then(MemoryEvidence later) {
    if (later == null || !(later.mostMibPerCore > 0)) {
      return this;
    }
    if (later.mostMibPerCore > mostMibPerCore + SAME) {
      return later;
    }
    if (later.mostMibPerCore < mostMibPerCore - SAME) {
      return this;
    }
    return new MemoryEvidence(
        mostMibPerCore,
        pressureAtMost || later.pressureAtMost,
        Math.max(provenInputGib, later.provenInputGib));
  }

  /**
   * The memory per core proven enough for a run of {@code inputGib}: the most the runs had, when no
   * run at that size showed pressure and the input is within {@link #VOLUME_SLACK} of the largest
   * they had; 0 otherwise.
   */
  public double ceilingMibPerCore(double inputGib) {
    return mostMibPerCore > 0 && !pressureAtMost && inputGib <= VOLUME_SLACK * provenInputGib
        ? mostMibPerCore
        : 0;
  }
}
