package io.foresight.spark.plan;

import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * The plan in force for the running application, and its ResourceProfiles, built once per profile
 * (each build registers a new profile with its own executors, so they are cached per application).
 * One SparkContext per JVM: installing a plan replaces the previous application's.
 */
public final class ActivePlan {
  private static volatile ActivePlan current;

  private final SparkContext sc;
  private final ResourcePlan plan;
  private final PlannerSettings settings;
  private final Map<Integer, ResourceProfile> profiles = new ConcurrentHashMap<>();
  private final AtomicLong placed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private ActivePlan(SparkContext sc, ResourcePlan plan, PlannerSettings settings) {
    this.sc = sc;
    this.plan = plan;
    this.settings = settings;
  }

  /** Makes {@code plan} the one the SQL extension applies in {@code sc}'s sessions. */
  public static ActivePlan install(SparkContext sc, ResourcePlan plan, PlannerSettings settings) {
    ActivePlan p = new ActivePlan(sc, plan, settings);
    current = p;
    return p;
  }

  /** Removes the plan of {@code sc}, if it is the active one. */
  public static void uninstall(SparkContext sc) {
    ActivePlan p = current;
    if (p != null && p.sc == sc) {
      current = null;
    }
  }

  public static ActivePlan current() {
    return current;
  }

  public ResourcePlan plan() {
    return plan;
  }

  boolean appliesTo(SparkPlan p) {
    return !sc.isStopped() && p.session() != null && p.session().sparkContext() == sc;
  }

  /** The profile of the stage {@code key}, or null when it stays on the default profile. */
  public ResourceProfile profileFor(String key) {
    int idx = plan.profileOf(key);
    if (idx <= 0) {
      return null;
    }
    return profiles.computeIfAbsent(idx, this::build);
  }

  private ResourceProfile build(int idx) {
    ResourcePlan.Shape shape = plan.profiles().get(idx).shape();
    ExecutorResourceRequests er =
        new ExecutorResourceRequests().cores(shape.cores()).memory(shape.memory());
    TaskResourceRequests tr = new TaskResourceRequests().cpus(1);
    if (shape.gpus() > 0) {
      er.resource("gpu", shape.gpus(), settings.gpuDiscoveryScript(), settings.gpuVendor());
      tr.resource("gpu", shape.taskGpus());
    }
    return new ResourceProfileBuilder().require(er).require(tr).build();
  }

  /**
   * The id Spark gave profile {@code idx} of the plan, building it if needed; 0 for the default.
   */
  public int profileId(int idx) {
    return idx == 0
        ? ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID()
        : profiles.computeIfAbsent(idx, this::build).id();
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ActivePlan.class);
  private static final java.util.concurrent.atomic.AtomicBoolean WARNED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** A stage could not be put on its profile at run time; it runs unplanned. */
  static void failed(Throwable e) {
    ActivePlan p = current;
    if (p != null) {
      p.countFailure();
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "Foresight: a planned stage runs on the default profile because Spark refused its"
              + " profile ({}); further such cases are counted in plannerErrors",
          e.toString());
    }
  }

  void countPlaced() {
    placed.incrementAndGet();
  }

  void countFailure() {
    failures.incrementAndGet();
  }

  /** Exchanges put on a profile so far. */
  public long placed() {
    return placed.get();
  }

  /** Rule failures so far (each left a query unplanned). */
  public long failures() {
    return failures.get();
  }
}
