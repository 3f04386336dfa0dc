package io.foresight.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stage keys of a SQL plan: the signature of a SQL stage, computed the same way by capture (from
 * the plan in the SQL events) and by the planner (from the plan being executed), so that a
 * prediction keyed by signature finds its stage.
 *
 * <p>A plan splits into <em>fragments</em> at its boundaries: shuffle exchanges, broadcast
 * exchanges and subqueries each root one fragment, the plan root roots the result fragment. A
 * fragment is what one stage runs. Its key (recipe version 2, documented in docs/HISTORY-SCHEMA.md)
 * is the first 16 hex digits of SHA-256 over:
 *
 * <ul>
 *   <li>the fragment kind ({@code shuffle}, {@code broadcast}, {@code subquery}, {@code result});
 *   <li>its nodes in pre-order with nesting, each name normalised ({@link #fold}): the choices the
 *       optimiser makes from data sizes fold away (every join is {@code Join}, every aggregate
 *       {@code Aggregate}), physical plumbing is left out (codegen, transitions, AQE wrappers,
 *       sorts, Foresight's own profile node), a {@code Gpu} prefix is dropped so that CPU and GPU
 *       runs share keys, digits become {@code #}; scans add the schema they read (never paths);
 *   <li>at each boundary below, the key of the fragment it roots.
 * </ul>
 *
 * A key therefore names the same stage across runs whatever the data volume, dates in paths,
 * partition counts or codegen ids, and differs for stages that read different columns or sit in
 * different places of the DAG.
 */
public final class StageKeys {
  /** Recipe version, part of every key. */
  public static final String VERSION = "v2";

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("\\b(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{12,}\\b");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Pattern PLUMBING =
      Pattern.compile(
          "Exchange|^Sort$|WholeStageCodegen|InputAdapter|QueryStage|AQEShuffleRead"
              + "|^AdaptiveSparkPlan$|ColumnarToRow|RowToColumnar|CoalesceBatches"
              + "|^ForesightProfile$|^ReusedSubquery$");
  private static final Set<String> SUBQUERY = Set.of("Subquery", "SubqueryBroadcast");

  private StageKeys() {}

  /** What roots a fragment. */
  public enum Kind {
    RESULT,
    SHUFFLE,
    BROADCAST,
    SUBQUERY
  }

  /** The kind of fragment {@code name} roots below the plan root, or null when it roots none. */
  public static Kind boundary(String name) {
    String n = stripGpu(name);
    if (n.equals("ReusedExchange")) {
      return null; // its child, the reused exchange, is the boundary
    }
    if (n.startsWith("Broadcast") && n.endsWith("Exchange")) {
      return Kind.BROADCAST;
    }
    if (n.endsWith("Exchange")) {
      return Kind.SHUFFLE;
    }
    if (SUBQUERY.contains(n)) {
      return Kind.SUBQUERY;
    }
    return null;
  }

  /** The key of the fragment rooted at {@code root}: its kind is the root's boundary, or result. */
  public static String keyOf(PlanTree root) {
    return new Keyer().key(root, kindOf(root));
  }

  private static Kind kindOf(PlanTree node) {
    Kind k = boundary(node.name());
    return k == null ? Kind.RESULT : k;
  }

  /**
   * The normalised name a node contributes to a key: {@code Join}, {@code Aggregate}, the name with
   * digits as {@code #}, or null for plumbing.
   */
  public static String fold(String name) {
    String n = stripGpu(name);
    if (n.contains("Join") || n.equals("CartesianProduct")) {
      return "Join";
    }
    if (n.contains("Aggregate")) {
      return "Aggregate";
    }
    if (PLUMBING.matcher(n).find()) {
      return null;
    }
    return normalise(n);
  }

  private static String stripGpu(String name) {
    return name.startsWith("Gpu") && name.length() > 3 && Character.isUpperCase(name.charAt(3))
        ? name.substring(3)
        : name;
  }

  /**
   * UUIDs and long hex ids become {@code #}, digit runs become {@code #}, white space is folded.
   */
  public static String normalise(String text) {
    if (text == null) {
      return "";
    }
    String s = UUID.matcher(text).replaceAll("#");
    s = HEX.matcher(s).replaceAll("#");
    s = DIGITS.matcher(s).replaceAll("#");
    return SPACE.matcher(s).replaceAll(" ").trim();
  }

  public static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One fragment of a plan: its root, key, kind, nodes (boundaries excluded) and child roots. */
  public record Fragment(
      PlanTree root, String key, Kind kind, List<PlanTree> nodes, List<PlanTree> childRoots) {}

  /**
   * The fragments of a plan, the result fragment first, then each boundary in pre-order. A fragment
   * reached twice (a reused exchange) is listed once.
   */
  public static List<Fragment> fragments(PlanTree root) {
    Keyer keyer = new Keyer();
    List<Fragment> out = new ArrayList<>();
    Map<PlanTree, Boolean> seen = new IdentityHashMap<>();
    java.util.ArrayDeque<PlanTree> todo = new java.util.ArrayDeque<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      PlanTree r = todo.poll();
      if (seen.put(r, Boolean.TRUE) != null) {
        continue;
      }
      Kind kind = r == root ? kindOf(root) : boundary(r.name());
      List<PlanTree> nodes = new ArrayList<>();
      List<PlanTree> childRoots = new ArrayList<>();
      collect(r, true, nodes, childRoots);
      out.add(new Fragment(r, keyer.key(r, kind), kind, nodes, childRoots));
      todo.addAll(childRoots);
    }
    return out;
  }

  private static void collect(
      PlanTree node, boolean isRoot, List<PlanTree> nodes, List<PlanTree> childRoots) {
    if (!isRoot && boundary(node.name()) != null) {
      childRoots.add(node);
      return;
    }
    nodes.add(node);
    for (PlanTree c : node.children()) {
      collect(c, false, nodes, childRoots);
    }
  }

  /**
   * The key of the fragment a finished stage ran, from the accumulator ids its tasks updated: the
   * fragment whose own nodes (boundary nodes aside, which both the writing and the reading stage
   * update) own the most of those ids. Null when no fragment owns any.
   */
  public static String keyOfStage(PlanTree root, Set<Long> stageAccumulables) {
    Fragment best = null;
    int bestScore = 0;
    for (Fragment f : fragments(root)) {
      int score = 0;
      for (PlanTree n : f.nodes()) {
        if (n == f.root() && f.kind() != Kind.RESULT) {
          continue;
        }
        for (Long id : n.metricIds()) {
          if (stageAccumulables.contains(id)) {
            score++;
          }
        }
      }
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    return best == null ? null : best.key();
  }

  /** Computes keys, each fragment once. */
  private static final class Keyer {
    private final Map<PlanTree, String> memo = new IdentityHashMap<>();

    String key(PlanTree root, Kind kind) {
      String known = memo.get(root);
      if (known != null) {
        return known;
      }
      StringBuilder sb = new StringBuilder(VERSION).append('\n').append(kind).append('\n');
      walk(root, true, sb);
      String k = hash(sb.toString());
      memo.put(root, k);
      return k;
    }

    private void walk(PlanTree node, boolean isRoot, StringBuilder sb) {
      if (!isRoot) {
        Kind b = boundary(node.name());
        if (b != null) {
          sb.append('<').append(key(node, b)).append('>');
          return;
        }
      }
      String folded = isRoot && boundary(node.name()) != null ? null : fold(node.name());
      if (folded != null) {
        sb.append(folded);
        String schema = node.metadata().get("ReadSchema");
        if (schema != null) {
          sb.append('[').append(schema).append(']');
        }
        sb.append('(');
      }
      for (PlanTree c : node.children()) {
        walk(c, false, sb);
      }
      if (folded != null) {
        sb.append(')');
      }
    }
  }
}
