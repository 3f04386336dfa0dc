package io.foresight.examples.bench;

import io.foresight.plan.JobDemand;
import io.foresight.plan.PlannerConf;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ProfilePlanner;
import io.foresight.plan.ResourcePlan;
import io.foresight.plan.StageDemand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Planning latency ({@code bin/foresight bench-plan [--stages N] [--profiles K] [--gpu]}): plans a
 * synthetic job of N stages (random work, memory bounds and operators) 200 times in one JVM after
 * 50 warm-up plans, and prints the first, median, p99 and worst latency in ms. The goal is ≤ 100 ms
 * for 1,000 stages; docs/BENCHMARKS.md records the results with the command.
 */
public final class PlanningBenchmark {
  private PlanningBenchmark() {}

  public static void main(String[] argv) {
    int n = 1000;
    int k = 3;
    boolean gpu = false;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--stages" -> n = Integer.parseInt(argv[++i]);
        case "--profiles" -> k = Integer.parseInt(argv[++i]);
        case "--gpu" -> gpu = true;
        default -> {
          System.err.println("usage: bench-plan [--stages N] [--profiles K] [--gpu]");
          System.exit(2);
        }
      }
    }
    PlannerSettings settings =
        PlannerConf.parse(
            Map.of(
                "spark.foresight.planner.maxProfiles", Integer.toString(k),
                "spark.foresight.gpu.enabled", Boolean.toString(gpu)));
    JobDemand job = job(n, new Random(42));
    long t0 = System.nanoTime();
    ResourcePlan first = ProfilePlanner.plan(job, settings);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    for (int i = 0; i < 50; i++) {
      ProfilePlanner.plan(job, settings);
    }
    double[] ms = new double[200];
    for (int i = 0; i < ms.length; i++) {
      long s = System.nanoTime();
      ProfilePlanner.plan(job, settings);
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "PLAN stages=%d profiles=%d gpu=%s first=%.2fms median=%.2fms p99=%.2fms max=%.2fms"
            + " (plan: %d profiles, %d stages)%n",
        n,
        k,
        gpu,
        firstMs,
        ms[ms.length / 2],
        ms[(int) (ms.length * 0.99)],
        ms[ms.length - 1],
        first.profiles().size(),
        first.stages().size());
  }

  static JobDemand job(int n, Random rnd) {
    List<StageDemand> stages = new ArrayList<>();
    List<List<String>> kinds =
        List.of(
            List.of("Scan parquet", "Filter"),
            List.of("Join", "Aggregate", "Scan parquet"),
            List.of("Sort", "Window"),
            List.of("Udf", "Scan csv"));
    for (int i = 0; i < n; i++) {
      double work = Math.exp(rnd.nextGaussian() * 1.5 + 3);
      double heap = Math.exp(rnd.nextGaussian() * 0.8);
      stages.add(
          new StageDemand(
              String.format("%016x", rnd.nextLong()),
              "stage " + i,
              1 + rnd.nextInt(2000),
              work,
              work * 1.3,
              heap,
              heap / 4,
              rnd.nextInt(10) > 0,
              kinds.get(rnd.nextInt(kinds.size()))));
    }
    return new JobDemand("bench", "bench", true, "", 4, 4096, 20, stages);
  }
}
