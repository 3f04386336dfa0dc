package io.foresight.capture;

import io.foresight.capture.CaptureEvent.PlanNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Data characteristics of a stage from the SQL plan: which plan nodes ran in the stage, and what
 * they are (joins, aggregates, windows, exchanges, sorts, UDFs, scans and their formats).
 *
 * <p>A node belongs to a stage when one of its SQL metrics was updated by the stage's tasks (the
 * stage's accumulables), or when its parent belongs to the stage and no exchange lies between them.
 * Exchanges appear in both the stage that writes and the stage that reads them.
 */
final class PlanAnalysis {
  private PlanAnalysis() {}

  /** What the stage's part of the plan holds. */
  record Characteristics(
      int joins,
      int aggregates,
      int windows,
      int exchanges,
      int sorts,
      int udfs,
      List<String> formats,
      Integer schemaDepth,
      Long filesReadBytes,
      List<String> operators) {}

  static int udfCalls(String simpleString) {
    if (simpleString == null) {
      return 0;
    }
    int n = 0;
    int i = 0;
    while ((i = simpleString.indexOf("UDF(", i)) >= 0) {
      n++;
      i += 4;
    }
    return n;
  }

  /**
   * @param driverMetrics SQL metric values the driver set for the execution; a stage's file scans
   *     contribute their "size of files read" from it
   */
  static Characteristics analyse(
      PlanNode root, Set<Long> stageAccumulables, Map<Long, Long> driverMetrics) {
    List<PlanNode> inStage = new ArrayList<>();
    collect(root, false, stageAccumulables, inStage);
    int joins = 0, aggregates = 0, windows = 0, exchanges = 0, sorts = 0, udfs = 0;
    Set<String> formats = new TreeSet<>();
    Integer depth = null;
    Long filesRead = null;
    List<String> operators = new ArrayList<>();
    for (PlanNode n : inStage) {
      if (!isWrapper(n.name())) {
        operators.add(n.name().trim());
      }
      Long read = n.filesReadMetricId() == null ? null : driverMetrics.get(n.filesReadMetricId());
      if (read != null) {
        filesRead = (filesRead == null ? 0L : filesRead) + read;
      }
      String name = n.name();
      if (name.contains("Join") || name.equals("CartesianProduct")) {
        joins++;
      } else if (name.contains("Aggregate")) {
        aggregates++;
      } else if (name.startsWith("Window")) {
        windows++;
      } else if (isExchange(name)) {
        exchanges++;
      } else if (name.equals("Sort")) {
        sorts++;
      }
      udfs += n.udfCalls() + (isPythonUdfNode(name) ? 1 : 0);
      String format = format(n);
      if (format != null) {
        formats.add(format);
        String schema = n.metadata().get("ReadSchema");
        if (schema != null) {
          int d = nesting(schema);
          depth = depth == null ? d : Math.max(depth, d);
        }
      }
    }
    return new Characteristics(
        joins,
        aggregates,
        windows,
        exchanges,
        sorts,
        udfs,
        List.copyOf(formats),
        depth,
        filesRead,
        List.copyOf(operators));
  }

  /**
   * Plan nodes that are not operators of their own: whole-stage code generation and its input
   * adapters, adaptive execution's query-stage and plan wrappers, and the node through which
   * Foresight puts a planned stage on its profile (which passes rows through, and would make a
   * planned run's stages read differently from the same stages unplanned).
   */
  private static boolean isWrapper(String name) {
    return name.startsWith("WholeStageCodegen")
        || name.equals("InputAdapter")
        || name.endsWith("QueryStage")
        || name.equals("AdaptiveSparkPlan")
        || name.equals("ForesightProfile");
  }

  private static void collect(
      PlanNode node, boolean parentInStage, Set<Long> accums, List<PlanNode> out) {
    boolean own = false;
    for (Long id : node.metricIds()) {
      if (accums.contains(id)) {
        own = true;
        break;
      }
    }
    boolean in = own || parentInStage;
    // Below an exchange the plan belongs to the stage that writes it: inherit nothing across.
    boolean pass = in && !isExchange(node.name()) && !node.name().endsWith("QueryStage");
    for (PlanNode c : node.children()) {
      collect(c, pass, accums, out);
    }
    // After its children: the stage's nodes in data-flow order.
    if (in) {
      out.add(node);
    }
  }

  static boolean isExchange(String name) {
    return name.contains("Exchange");
  }

  private static boolean isPythonUdfNode(String name) {
    return name.equals("BatchEvalPython")
        || name.equals("ArrowEvalPython")
        || name.startsWith("FlatMapGroupsIn")
        || name.startsWith("MapIn")
        || name.startsWith("FlatMapCoGroupsIn");
  }

  /** The input format a scan node reads, or null when the node is not a scan. */
  static String format(PlanNode n) {
    String name = n.name();
    String lower = name.toLowerCase(Locale.ROOT);
    String location = n.metadata().getOrDefault("Location", "");
    if (lower.startsWith("scan ")
        || lower.startsWith("filescan")
        || lower.startsWith("batchscan")) {
      if (location.startsWith("Tahoe") || location.contains("Delta") || lower.contains("delta")) {
        return "delta";
      }
      if (lower.contains("jdbc")) {
        return "jdbc";
      }
      if (lower.contains("existingrdd") || lower.contains("onerowrelation")) {
        return "in-memory";
      }
      for (String f : List.of("parquet", "csv", "json", "orc", "avro", "text", "binaryfile")) {
        if (lower.contains(f)) {
          return f;
        }
      }
      String declared = n.metadata().get("Format");
      return declared == null ? "other" : declared.toLowerCase(Locale.ROOT);
    }
    if (name.equals("LocalTableScan") || name.equals("InMemoryTableScan")) {
      return "in-memory";
    }
    if (name.equals("Range")) {
      return "range";
    }
    return null;
  }

  /** Nesting of a Spark schema string: {@code struct<a:int>} is 1. */
  static int nesting(String schema) {
    int depth = 0;
    int max = 0;
    for (int i = 0; i < schema.length(); i++) {
      char c = schema.charAt(i);
      if (c == '<') {
        max = Math.max(max, ++depth);
      } else if (c == '>') {
        depth--;
      }
    }
    return Math.max(max, 1);
  }

  /**
   * The operations of an RDD-only stage: its RDDs' operation scopes in the order the RDDs were
   * made, an operation that made several RDDs in a row once ({@code textFile} makes two). RDDs a
   * SQL plan made are scoped by its nodes; the wrappers among those are left out as in a plan.
   */
  static List<String> rddOperators(List<CaptureEvent.RddOp> rdds) {
    List<CaptureEvent.RddOp> ordered = new ArrayList<>(rdds);
    ordered.sort(Comparator.comparingInt(CaptureEvent.RddOp::rddId));
    List<String> out = new ArrayList<>();
    for (CaptureEvent.RddOp r : ordered) {
      String scope = r.scopeName() == null ? "" : r.scopeName().trim();
      if (!scope.isEmpty()
          && !isWrapper(scope)
          && (out.isEmpty() || !out.get(out.size() - 1).equals(scope))) {
        out.add(scope);
      }
    }
    return List.copyOf(out);
  }

  /** Formats of an RDD-only stage (no SQL plan), from its RDD operation scopes. */
  static List<String> rddFormats(List<CaptureEvent.RddOp> rdds) {
    Set<String> formats = new TreeSet<>();
    for (CaptureEvent.RddOp r : rdds) {
      String scope = r.scopeName() == null ? "" : r.scopeName();
      if (scope.equals("textFile") || scope.equals("wholeTextFiles")) {
        formats.add("text");
      } else if (scope.equals("parallelize") || scope.equals("makeRDD")) {
        formats.add("in-memory");
      } else if (scope.startsWith("Scan ")) {
        String f = format(new PlanNode(scope.trim(), List.of(), Map.of(), 0, List.of()));
        if (f != null) {
          formats.add(f);
        }
      }
    }
    return List.copyOf(formats);
  }
}
