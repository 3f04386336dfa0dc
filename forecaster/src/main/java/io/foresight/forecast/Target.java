package io.foresight.forecast;

/**
 * A predicted quantity of one stage signature (component). Models work in log space: {@code
 * ln(label + floor)}, where the label is in seconds or GiB and {@code floor} keeps zeros finite.
 */
public enum Target {
  EXECUTOR_SECONDS("executor_seconds", "s", 0.05, 1000.0),
  STAGE_SECONDS("stage_seconds", "s", 0.05, 1000.0),
  PEAK_HEAP_GIB("peak_heap_gib", "GiB", 1.0 / 1024, AppRun.GIB),
  PEAK_EXECUTION_MEMORY_GIB("peak_execution_memory_gib", "GiB", 1.0 / 1024, AppRun.GIB),
  /** The most heap a garbage collection left on an executor while the stage ran. */
  HEAP_AFTER_GC_GIB("heap_after_gc_gib", "GiB", 1.0 / 1024, AppRun.GIB),
  SHUFFLE_WRITE_GIB("shuffle_write_gib", "GiB", 1.0 / 1024, AppRun.GIB),
  SPILL_GIB("spill_gib", "GiB", 1.0 / 1024, AppRun.GIB);

  private final String column;
  private final String unit;
  private final double floor;

  /** Units of measurement per unit of the label: milliseconds per second, bytes per GiB. */
  private final double perUnit;

  Target(String column, String unit, double floor, double perUnit) {
    this.column = column;
    this.unit = unit;
    this.floor = floor;
    this.perUnit = perUnit;
  }

  /** The name used in model files, the predictions table and the training data set. */
  public String column() {
    return column;
  }

  public String unit() {
    return unit;
  }

  /** {@code ln(label + floor)}; NaN for an unmeasured (NaN) label. */
  public double toLog(double label) {
    if (Double.isNaN(label)) {
      return Double.NaN;
    }
    return Math.log(Math.max(0, label) + floor);
  }

  public double fromLog(double logValue) {
    return Math.max(0, Math.exp(logValue) - floor);
  }

  /**
   * An upper bound from its log value: {@link #fromLog}, rounded up to what the quantity is
   * measured in (a millisecond, a byte). Without the rounding, the bound of a component whose runs
   * all had the same value can come back a few units in the last place below that value ({@code
   * exp(ln(x + floor)) - floor}) and miss a run that did exactly what every run before it did.
   */
  public double upperFromLog(double logValue) {
    double v = fromLog(logValue);
    // NaN and infinity pass through. A value within a millionth of a unit of a whole one is that
    // whole one, not the next. The division is how the labels are made from the measured units
    // (ComponentRun). A zero bound is +0: ceil of a value just below zero is -0.0, which the
    // forecast's toString and its foresight.predictions rows showed for stages that never spill.
    return Math.max(0, Math.ceil(v * perUnit - 1e-6) / perUnit);
  }

  public static Target byColumn(String column) {
    for (Target t : values()) {
      if (t.column.equals(column)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Unknown forecast target '" + column + "'");
  }
}
