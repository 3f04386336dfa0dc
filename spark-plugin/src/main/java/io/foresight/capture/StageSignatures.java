package io.foresight.capture;

import io.foresight.capture.CaptureEvent.PlanNode;
import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.plan.StageKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stage signatures: a hash that names the same logical stage across runs of a job.
 *
 * <p>Recipe (version 1), documented in docs/HISTORY-SCHEMA.md:
 *
 * <ol>
 *   <li>Take the stage's RDDs in RDD-id order. For each, the operation scope name (the operator:
 *       {@code WholeStageCodegen (2)}, {@code Exchange}, {@code Scan parquet}, {@code map}...) and
 *       the RDD name ({@code FileScanRDD}, or a path for {@code textFile}). Skip scopes whose
 *       presence depends on data volume ({@code AQEShuffleRead}).
 *   <li>Normalise each text: UUIDs and long hex ids become {@code #}, digit runs become {@code #}
 *       (so codegen ids, dates in paths, partition counts and run ids vanish), white space is
 *       folded.
 *   <li>Add the stage name (the call site, e.g. {@code count at Job.java:42}), normalised but for
 *       its line number.
 *   <li>For SQL stages, add the {@link #skeleton} of the SQL execution's first physical plan: RDD
 *       scopes alone do not say which operators run inside a codegen stage.
 *   <li>Add the signatures of the parent stages, sorted.
 *   <li>SHA-256 of the lines, first 16 hex digits.
 * </ol>
 *
 * Not thread-safe: one writer thread owns an instance. Remembers at most {@link Bounded#STAGES}
 * stages.
 */
final class StageSignatures {
  private static final Pattern LINE = Pattern.compile(":\\d+$");
  private static final Pattern PLUMBING =
      Pattern.compile(
          "Exchange|^Sort$|WholeStageCodegen|InputAdapter|QueryStage|AQEShuffleRead"
              + "|^AdaptiveSparkPlan$|ColumnarToRow|RowToColumnar|^ResultQueryStage$"
              + "|^ForesightProfile$");

  /** Scopes whose presence depends on data volume, or on whether Foresight planned the run. */
  private static final Set<String> DATA_DEPENDENT_SCOPES =
      Set.of("AQEShuffleRead", "ForesightProfile");

  private final Map<Integer, String> byStage = Bounded.map(Bounded.STAGES);

  /** Stages whose signature is remembered. */
  int remembered() {
    return byStage.size();
  }

  /**
   * The signature of a stage, computed the first time the stage is seen; {@code planSkeleton} is
   * the {@link #skeleton} of its SQL execution's first plan, or null for RDD jobs.
   */
  String of(StageShape shape, String planSkeleton) {
    String known = byStage.get(shape.stageId());
    if (known != null) {
      return known;
    }
    String sig = compute(shape, planSkeleton);
    byStage.put(shape.stageId(), sig);
    return sig;
  }

  /** Records the signature a stage got from its SQL plan ({@code StageKeys}), for its children. */
  void remember(int stageId, String signature) {
    byStage.put(stageId, signature);
  }

  /** Computes the signatures of a job's stages, parents first. */
  void learn(List<StageShape> stages, String planSkeleton) {
    List<StageShape> sorted = new ArrayList<>(stages);
    sorted.sort(Comparator.comparingInt(StageShape::stageId));
    for (StageShape s : sorted) {
      of(s, planSkeleton);
    }
  }

  /**
   * The logical skeleton of a SQL plan: node names in pre-order with nesting, normalised, where the
   * choices the optimiser makes from data sizes are folded (every join is {@code Join}, every
   * aggregate {@code Aggregate}) and the physical plumbing they bring is left out (exchanges,
   * sorts, codegen, AQE wrappers, row/columnar transitions). Scans add the schema they read.
   */
  static String skeleton(PlanNode root) {
    StringBuilder sb = new StringBuilder();
    skeleton(root, sb);
    return sb.toString();
  }

  private static void skeleton(PlanNode node, StringBuilder sb) {
    String name = node.name();
    String folded;
    if (name.contains("Join") || name.equals("CartesianProduct")) {
      folded = "Join";
    } else if (name.contains("Aggregate")) {
      folded = "Aggregate";
    } else if (PLUMBING.matcher(name).find()) {
      folded = null;
    } else {
      folded = normalise(name);
    }
    if (folded != null) {
      sb.append(folded);
      String schema = node.metadata().get("ReadSchema");
      if (schema != null) {
        sb.append('[').append(schema).append(']'); // what a scan reads: columns, not paths
      }
      sb.append('(');
    }
    for (PlanNode c : node.children()) {
      skeleton(c, sb);
    }
    if (folded != null) {
      sb.append(')');
    }
  }

  private String compute(StageShape shape, String planSkeleton) {
    List<String> lines = new ArrayList<>();
    lines.add("v1");
    lines.add(callSite(shape.name()));
    lines.add("plan:" + (planSkeleton == null ? "" : planSkeleton));
    List<RddOp> rdds = new ArrayList<>(shape.rdds());
    rdds.sort(Comparator.comparingInt(RddOp::rddId));
    for (RddOp r : rdds) {
      String scope = r.scopeName() == null ? "" : normalise(r.scopeName());
      if (DATA_DEPENDENT_SCOPES.contains(scope)) {
        continue;
      }
      lines.add(scope + "|" + normalise(r.rddName()));
    }
    List<String> parents = new ArrayList<>();
    for (int p : shape.parentIds()) {
      parents.add(byStage.getOrDefault(p, "?"));
    }
    parents.sort(null);
    lines.add("parents:" + String.join(",", parents));
    return hash(String.join("\n", lines));
  }

  /**
   * The stage name is a call site ({@code count at Job.java:42}): its line number is kept, since it
   * is stable across runs of the same code and tells apart stages of different statements; other
   * digits are normalised.
   */
  static String callSite(String name) {
    if (name == null) {
      return "";
    }
    java.util.regex.Matcher m = LINE.matcher(name);
    if (m.find()) {
      return normalise(name.substring(0, m.start())) + m.group();
    }
    return normalise(name);
  }

  static String normalise(String text) {
    return StageKeys.normalise(text);
  }

  private static String hash(String text) {
    return StageKeys.hash(text);
  }
}
