package io.foresight.forecast;

import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.SeasonalModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds the {@link JobTemplate} of each job key from its runs. */
final class JobTemplates {
  private JobTemplates() {}

  static Map<String, JobTemplate> build(List<AppRun> runs, int maxPeriod) {
    Map<String, List<AppRun>> byKey = new LinkedHashMap<>();
    for (AppRun r : runs) {
      byKey.computeIfAbsent(r.jobKey(), k -> new ArrayList<>()).add(r);
    }
    Map<String, JobTemplate> out = new TreeMap<>();
    for (Map.Entry<String, List<AppRun>> e : byKey.entrySet()) {
      out.put(e.getKey(), of(e.getKey(), e.getValue(), maxPeriod));
    }
    return out;
  }

  /**
   * Most DAGs a template keeps. A job whose DAG differs in every run (a loop of variable length)
   * would otherwise carry one per run into the model file, which the first prediction reads.
   */
  static final int MAX_PLANS = 16;

  /**
   * Keeps the {@code max} plans that ran most recently, in their order; runs of the others get -1,
   * which {@link JobTemplate#choosePlan} passes over.
   */
  static void keepNewestPlans(List<JobTemplate.Plan> plans, List<Integer> runPlans, int max) {
    if (plans.size() <= max) {
      return;
    }
    int[] newIndex = new int[plans.size()];
    Arrays.fill(newIndex, -1);
    int kept = 0;
    for (int i = runPlans.size() - 1; i >= 0 && kept < max; i--) {
      int p = runPlans.get(i);
      if (newIndex[p] < 0) {
        newIndex[p] = kept++; // provisional: marks it kept
      }
    }
    List<JobTemplate.Plan> keptPlans = new ArrayList<>();
    for (int p = 0; p < plans.size(); p++) {
      if (newIndex[p] >= 0) {
        newIndex[p] = keptPlans.size();
        keptPlans.add(plans.get(p));
      }
    }
    runPlans.replaceAll(p -> newIndex[p]);
    plans.clear();
    plans.addAll(keptPlans);
  }

  static JobTemplate of(String jobKey, List<AppRun> runs, int maxPeriod) {
    AppRun last = runs.get(runs.size() - 1);
    List<JobTemplate.ComponentNode> lastDag = List.of();
    double[] overheads = new double[runs.size()];
    List<Long> starts = new ArrayList<>();
    List<Double> inputs = new ArrayList<>();
    List<Double> listed = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    List<JobTemplate.Plan> plans = new ArrayList<>();
    Map<Map<String, Set<String>>, Integer> planIndex = new HashMap<>();
    List<Integer> runPlans = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      AppRun r = runs.get(i);
      List<ComponentRun> comps = ComponentRun.of(r);
      Map<String, Double> seconds = new HashMap<>();
      List<JobTemplate.ComponentNode> dag = new ArrayList<>();
      Map<String, Set<String>> shape = new TreeMap<>();
      for (ComponentRun c : comps) {
        seconds.put(c.signature(), c.labels().get(Target.STAGE_SECONDS));
        dag.add(new JobTemplate.ComponentNode(c.signature(), List.copyOf(c.parents())));
        shape.put(c.signature(), new TreeSet<>(c.parents()));
      }
      // The same DAG whatever the order its stages and their parents were listed in.
      Integer plan = planIndex.get(shape);
      if (plan == null) {
        plan = plans.size();
        planIndex.put(shape, plan);
        plans.add(new JobTemplate.Plan(dag));
      }
      runPlans.add(plan);
      lastDag = dag;
      overheads[i] = Math.max(0, r.wallClockMs() / 1000.0 - CriticalPath.length(dag, seconds));
      starts.add(r.startMs());
      inputs.add(r.inputGib());
      listed.add(r.listedInputGib());
      slots.add(r.onGpu() ? 0 : r.context().slots()); // the wall-clock model is CPU runs'
    }
    keepNewestPlans(plans, runPlans, MAX_PLANS);
    // A rerun or backfill of a date (the same scheduled time) is one step of the job's seasons, not
    // two: counted twice, it would put the runs before it out of phase with those after. The
    // seasonal series take the last run of each start.
    List<Integer> steps = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      if (i + 1 == starts.size() || !starts.get(i + 1).equals(starts.get(i))) {
        steps.add(i);
      }
    }
    double[] logInputs =
        steps.stream().mapToDouble(i -> Features.logInput(inputs.get(i))).toArray();
    SeasonalModel volume = ForecastTrainer.seasonal(logInputs, maxPeriod);
    SeasonalModel interval = null;
    if (steps.size() >= 4) {
      double[] gaps = new double[steps.size() - 1];
      for (int k = 1; k < steps.size(); k++) {
        gaps[k - 1] = (starts.get(steps.get(k)) - starts.get(steps.get(k - 1))) / 1000.0;
      }
      interval = ForecastTrainer.seasonal(gaps, maxPeriod);
    }
    return new JobTemplate(
        jobKey,
        runs.size(),
        last.appId(),
        lastDag,
        Math.max(1, last.executorCores()),
        Math.max(1, last.executors()),
        ForecastTrainer.median(overheads),
        starts,
        inputs,
        slots,
        volume,
        interval,
        Map.of(),
        plans,
        runPlans,
        Map.of(),
        listed);
  }
}
