package io.foresight.forecast;

/**
 * A predicted quantity of one stage signature (component). Models work in log space: {@code
 * ln(label + floor)}, where the label is in seconds or GiB and {@code floor} keeps zeros finite.
 */
public enum Target {
  EXECUTOR_SECONDS("executor_seconds", "s", 0.05),
  STAGE_SECONDS("stage_seconds", "s", 0.05),
  PEAK_HEAP_GIB("peak_heap_gib", "GiB", 1.0 / 1024),
  PEAK_EXECUTION_MEMORY_GIB("peak_execution_memory_gib", "GiB", 1.0 / 1024),
  /** The most heap a garbage collection left on an executor while the stage ran. */
  HEAP_AFTER_GC_GIB("heap_after_gc_gib", "GiB", 1.0 / 1024),
  SHUFFLE_WRITE_GIB("shuffle_write_gib", "GiB", 1.0 / 1024),
  SPILL_GIB("spill_gib", "GiB", 1.0 / 1024);

  private final String column;
  private final String unit;
  private final double floor;

  Target(String column, String unit, double floor) {
    this.column = column;
    this.unit = unit;
    this.floor = floor;
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

  public static Target byColumn(String column) {
    for (Target t : values()) {
      if (t.column.equals(column)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Unknown forecast target '" + column + "'");
  }
}
