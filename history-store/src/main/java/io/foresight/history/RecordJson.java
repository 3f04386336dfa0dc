package io.foresight.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Writes a history record as one JSON object whose keys are the table's column names. */
public final class RecordJson {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Map<Class<?>, Accessor[]> ACCESSORS = new ConcurrentHashMap<>();

  private RecordJson() {}

  private record Accessor(String column, Method method) {}

  public static String toJson(HistoryRecord record) {
    return toJson((Record) record);
  }

  /** Any record written to a Foresight table (e.g. {@link PredictionRecord}). */
  public static String toJson(Record record) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Accessor a : accessors(record.getClass())) {
        g.writeFieldName(a.column());
        writeValue(g, a.method().invoke(record));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("Cannot read " + record.getClass().getSimpleName(), e);
    }
    return out.toString();
  }

  private static Accessor[] accessors(Class<?> type) {
    return ACCESSORS.computeIfAbsent(
        type,
        t -> {
          RecordComponent[] cs = t.getRecordComponents();
          Accessor[] as = new Accessor[cs.length];
          for (int i = 0; i < cs.length; i++) {
            as[i] = new Accessor(HistorySchema.snakeCase(cs[i].getName()), cs[i].getAccessor());
          }
          return as;
        });
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        g.writeNull();
      } else {
        g.writeNumber(d);
      }
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else {
      throw new IllegalStateException("No JSON form for " + v.getClass());
    }
  }
}
