package io.foresight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliJsonTest {
  record Values(double point, Double boxed, double[] curve, Map<String, Double> byName) {}

  @Test
  void aMissingNumberIsNull() throws Exception {
    Map<String, Double> byName = new LinkedHashMap<>();
    byName.put("a", 2.5);
    byName.put("b", Double.NaN);
    Values v =
        new Values(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            new double[] {1.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.25},
            byName);
    assertEquals(
        "{\"point\":null,\"boxed\":null,\"curve\":[1.0,null,null,0.25],"
            + "\"byName\":{\"a\":2.5,\"b\":null}}",
        CliJson.line(v));
  }

  @Test
  void finiteNumbersAndTheRestAreJacksonsUsual() throws Exception {
    Values v = new Values(3.0, null, new double[0], Map.of());
    assertEquals("{\"point\":3.0,\"boxed\":null,\"curve\":[],\"byName\":{}}", CliJson.line(v));
    assertEquals("[1,\"x\",true]", CliJson.line(List.of(1, "x", true)));
    assertEquals("{\n  \"k\" : null\n}", CliJson.indented(Map.of("k", Double.NaN)));
  }
}
