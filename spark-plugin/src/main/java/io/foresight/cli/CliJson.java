package io.foresight.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The JSON the commands print ({@code --json}): Jackson, with a number the forecaster has no value
 * for (NaN, infinite) written as {@code null}, which every JSON reader takes, instead of Jackson's
 * default string {@code "NaN"}, which a reader comparing numbers trips over.
 */
final class CliJson {
  private static final ObjectMapper LINE = mapper();
  private static final ObjectMapper INDENTED = mapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CliJson() {}

  /** {@code o} on one line (a row of a listing). */
  static String line(Object o) throws JsonProcessingException {
    return LINE.writeValueAsString(o);
  }

  /** {@code o} indented (one document). */
  static String indented(Object o) throws JsonProcessingException {
    return INDENTED.writeValueAsString(o);
  }

  private static ObjectMapper mapper() {
    SimpleModule finite = new SimpleModule("finite-numbers");
    JsonSerializer<Double> boxed = new FiniteDouble();
    finite.addSerializer(Double.class, boxed);
    finite.addSerializer(Double.TYPE, boxed);
    finite.addSerializer(double[].class, new FiniteDoubles());
    return new ObjectMapper().registerModule(finite);
  }

  private static void write(double v, JsonGenerator gen) throws IOException {
    if (Double.isFinite(v)) {
      gen.writeNumber(v);
    } else {
      gen.writeNull();
    }
  }

  private static final class FiniteDouble extends JsonSerializer<Double> {
    @Override
    public void serialize(Double v, JsonGenerator gen, SerializerProvider p) throws IOException {
      write(v, gen);
    }
  }

  private static final class FiniteDoubles extends JsonSerializer<double[]> {
    @Override
    public void serialize(double[] vs, JsonGenerator gen, SerializerProvider p) throws IOException {
      gen.writeStartArray(vs, vs.length);
      for (double v : vs) {
        write(v, gen);
      }
      gen.writeEndArray();
    }
  }
}
