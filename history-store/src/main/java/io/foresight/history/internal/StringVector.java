package io.foresight.history.internal;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StringType;
import java.util.List;

/** A string column over a list, to hand JSON rows to Kernel's JSON parser. */
final class StringVector implements ColumnVector {
  private final List<String> values;

  StringVector(List<String> values) {
    this.values = values;
  }

  @Override
  public DataType getDataType() {
    return StringType.STRING;
  }

  @Override
  public int getSize() {
    return values.size();
  }

  @Override
  public void close() {}

  @Override
  public boolean isNullAt(int rowId) {
    return values.get(rowId) == null;
  }

  @Override
  public String getString(int rowId) {
    return values.get(rowId);
  }
}
