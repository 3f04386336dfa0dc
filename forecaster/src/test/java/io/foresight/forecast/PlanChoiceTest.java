package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.JobTemplate.ComponentNode;
import io.foresight.forecast.model.JobTemplate.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stage DAG a coming run is expected to have, when the job's plan depends on its input (as
 * adaptive execution's join choice does): the plan that runs of a similar volume had.
 */
class PlanChoiceTest {
  private static final long HOUR = 3600_000L;

  @Test
  void runsOfEachVolumeGetThePlanTheyHad() {
    double[] gibs = new double[24];
    for (int i = 0; i < gibs.length; i++) {
      gibs[i] = 0.8 + 0.25 * (i % 12); // 0.8 to 3.55 GiB, twice; the last run above the switch
    }
    List<AppRun> runs = SyntheticRuns.jobWithTwoPlans("aqe", gibs, 2.0, 3);
    JobTemplate t = JobTemplates.of("aqe", runs, 12);

    assertEquals(2, t.plans().size(), "one plan per join strategy: " + t.plans());
    for (int i = 0; i < gibs.length; i++) {
      String join = gibs[i] > 2.0 ? "aqe-join-smj" : "aqe-join";
      assertEquals(
          join,
          last(t.plans().get(t.runPlans().get(i)).components()).signature(),
          "the plan recorded for run " + i + " at " + gibs[i] + " GiB");
    }
    assertEquals(
        List.of("aqe-scan", "aqe-agg", "aqe-dim", "aqe-join"),
        signatures(t.choosePlan(1.2).components()));
    List<ComponentNode> large = t.choosePlan(3.3).components();
    assertEquals(
        List.of("aqe-scan", "aqe-agg", "aqe-dim", "aqe-exchange", "aqe-join-smj"),
        signatures(large));
    assertEquals(
        List.of("aqe-agg", "aqe-exchange"), last(large).parents().stream().sorted().toList());
  }

  @Test
  void theMajorityOfTheThreeNearestRunsDecides() {
    // plan 0 ran once at 1.01 GiB, the nearest to 1.0; plan 1 twice a little further away
    JobTemplate t =
        template(new double[] {5, 1.01, 0.95, 1.06, 6}, new int[] {0, 0, 1, 1, 0}, 4 * HOUR);
    assertEquals("p1", only(t.choosePlan(1.0).components()));
    JobTemplate.PlanChoice choice = t.choosePlan(1.0);
    assertEquals(1, choice.plan());
    assertEquals(List.of(1.01, 0.95, 1.06), choice.neighbourGib(), "the voters, nearest first");
    // far from them, the three nearest are plan 0's
    assertEquals("p0", only(t.choosePlan(5.5).components()));
  }

  @Test
  void aTieGoesToTheNearestRun() {
    JobTemplate t = template(new double[] {2.0, 1.0, 1.5}, new int[] {2, 0, 1}, 4 * HOUR);
    assertEquals("p0", only(t.choosePlan(0.9).components()));
    assertEquals("p2", only(t.choosePlan(2.2).components()));
    // two runs at the same volume with different plans: the newer one's
    JobTemplate even = template(new double[] {1.0, 1.0, 100}, new int[] {0, 1, 2}, 4 * HOUR);
    assertEquals("p1", only(even.choosePlan(1.1).components()));
  }

  @Test
  void aPlanNotRunForOverAWeekIsNoLongerChosen() {
    // the job's code changed after run 5: plan 0 ran at 1 GiB, plan 1 since then at 3 GiB
    double[] gibs = new double[60];
    int[] plans = new int[60];
    for (int i = 0; i < gibs.length; i++) {
      gibs[i] = i < 6 ? 1.0 : 3.0;
      plans[i] = i < 6 ? 0 : 1;
    }
    // every 4 h, the old plan's runs are more than 8 days before the newest run
    assertEquals("p1", only(template(gibs, plans, 4 * HOUR).choosePlan(1.0).components()));
    // every hour, all 60 runs are within the window, and the old plan's runs are the nearest
    assertEquals("p0", only(template(gibs, plans, HOUR).choosePlan(1.0).components()));
  }

  @Test
  void onlyTheMostRecentlyRunPlansAreKept() {
    List<Plan> plans = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      plans.add(new Plan(List.of(new ComponentNode("p" + p, List.of()))));
    }
    List<Integer> runPlans = new ArrayList<>(List.of(0, 1, 2, 3, 4, 0, 2));
    JobTemplates.keepNewestPlans(plans, runPlans, 2);
    assertEquals(List.of("p0", "p2"), plans.stream().map(p -> only(p.components())).toList());
    assertEquals(List.of(0, -1, 1, -1, -1, 0, 1), runPlans);

    // the runs whose plan was not kept take no part in the choice
    double[] gibs = {2.0, 3.0, 3.1, 2.9, 6};
    JobTemplate t = template(gibs, new int[] {0, -1, -1, -1, 1}, HOUR);
    assertEquals("p0", only(t.choosePlan(3.0).components()));
  }

  @Test
  void aModelWithoutPlansUsesTheNewestRunsDag() {
    JobTemplate t = template(new double[] {1.0, 3.0}, new int[] {0, 1}, HOUR);
    JobTemplate old =
        new JobTemplate(
            t.jobKey(),
            t.runs(),
            t.lastAppId(),
            t.components(),
            t.executorCores(),
            t.executors(),
            t.overheadSeconds(),
            t.runStartsMs(),
            t.inputGib(),
            t.slots(),
            t.volumeModel(),
            t.intervalModel(),
            t.scaling(),
            null,
            null,
            null,
            null);
    assertEquals(List.of(), old.plans());
    assertEquals("newest", only(old.choosePlan(1.0).components()));
    assertEquals("p0", only(t.choosePlan(1.0).components()));
  }

  /** Runs at {@code gibs}, each with the plan of one stage {@code p<plan>}, {@code every} apart. */
  private static JobTemplate template(double[] gibs, int[] runPlans, long every) {
    int planCount = 0;
    List<Long> starts = new ArrayList<>();
    List<Double> inputs = new ArrayList<>();
    List<Integer> byRun = new ArrayList<>();
    for (int i = 0; i < gibs.length; i++) {
      starts.add(SyntheticRuns.START + i * every);
      inputs.add(gibs[i]);
      byRun.add(runPlans[i]);
      planCount = Math.max(planCount, runPlans[i] + 1);
    }
    List<Plan> plans = new ArrayList<>();
    for (int p = 0; p < planCount; p++) {
      plans.add(new Plan(List.of(new ComponentNode("p" + p, List.of()))));
    }
    return new JobTemplate(
        "job",
        gibs.length,
        "app-" + (gibs.length - 1),
        List.of(new ComponentNode("newest", List.of())),
        2,
        1,
        1.0,
        starts,
        inputs,
        List.of(),
        null,
        null,
        Map.of(),
        plans,
        byRun,
        Map.of(),
        List.of());
  }

  private static String only(List<ComponentNode> dag) {
    assertEquals(1, dag.size(), "one stage: " + dag);
    return dag.get(0).signature();
  }

  private static ComponentNode last(List<ComponentNode> dag) {
    return dag.get(dag.size() - 1);
  }

  private static List<String> signatures(List<ComponentNode> dag) {
    return dag.stream().map(ComponentNode::signature).toList();
  }
}
