package io.foresight.cli;

import io.foresight.config.ConfigException;
import io.foresight.config.ValueType;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.DemandForecaster;
import io.foresight.forecast.DemandRequest;
import io.foresight.forecast.PredictionLog;
import io.foresight.history.PlanTable;
import io.foresight.plan.PlannerConf;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import io.foresight.spark.plan.Demands;
import io.foresight.spark.plan.StartupPlanner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code bin/foresight plan --job KEY}: the plan Foresight would make for the job's next run, with
 * which stage got which profile and why. Recorded in {@code foresight.plans} (source {@code cli},
 * never applied) unless {@code --no-record}.
 */
final class PlanCommand {
  private PlanCommand() {}

  static int run(ForesightCli.Args args, PrintStream out, PrintStream err) throws Exception {
    DemandRequest req = ForecastCommands.request(args, err, "plan");
    if (req == null) {
      return 2;
    }
    PlannerSettings settings;
    int baseMemMib;
    try {
      settings = PlannerConf.parse(args.conf);
      String mem = args.option("--executor-memory");
      baseMemMib =
          mem == null
              ? 1024
              : (int) (ValueType.bytes(1L << 20, 1L << 40).parser().apply(mem) >> 20);
    } catch (ConfigException e) {
      err.println("foresight plan: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println(
          "foresight plan: --executor-memory expects a size such as 512m or 4g, got '"
              + args.option("--executor-memory")
              + "'");
      return 2;
    }
    DemandForecaster forecaster = ForecastCommands.forecaster(args, req.jobKey());
    DemandForecast f = forecaster.forecast(req);
    ResourcePlan plan = Demands.plan(f, baseMemMib, settings);
    StartupPlanner.Outcome outcome =
        new StartupPlanner.Outcome(
            plan, false, false, "planned by the CLI (not applied): " + plan.reason(), Map.of());
    if (args.json) {
      out.println(CliJson.indented(plan));
    } else {
      print(plan, out);
      ForecastCommands.noteSharedKey(req.jobKey(), out);
    }
    if (!args.noRecord && forecaster.model() != null) {
      long now = System.currentTimeMillis();
      PlanTable.append(
          args.history,
          new Configuration(),
          StartupPlanner.toRecord(outcome, settings.mode(), null, "cli", now));
      PredictionLog.write(args.history, f, forecaster.model().quantile(), null, "cli", now);
    }
    return f.stages().isEmpty() ? 1 : 0;
  }

  static void print(ResourcePlan p, PrintStream out) {
    out.printf(
        "Plan for job %s  model %s  %s%n",
        p.jobKey(),
        p.modelVersion() == null || p.modelVersion().isEmpty() ? "-" : p.modelVersion(),
        p.actionable() ? "actionable: " + p.reason() : "NOT actionable: " + p.reason());
    if (p.stages().isEmpty()) {
      return;
    }
    out.printf(
        "Default executors: %s; initial %d, max %d per profile; over-provisioned %.1f GiB-s%n",
        p.defaultProfile().shape(),
        p.initialExecutors(),
        p.maxExecutors(),
        p.overProvisionedGibSeconds());
    List<String[]> profiles = new ArrayList<>();
    for (ResourcePlan.Profile pr : p.profiles()) {
      profiles.add(
          new String[] {
            pr.isDefault() ? "0 (default)" : Integer.toString(pr.index()),
            Integer.toString(pr.shape().cores()),
            Integer.toString(pr.shape().memoryMib()),
            Integer.toString(pr.shape().gpus()),
            Integer.toString(
                (int) p.stages().stream().filter(s -> s.profile() == pr.index()).count())
          });
    }
    out.print(
        TextTable.renderCells(
            new String[] {"profile", "cores", "memory MiB", "GPUs", "stages"}, profiles));
    List<String[]> stages = new ArrayList<>();
    for (ResourcePlan.StagePlan s : p.stages()) {
      stages.add(
          new String[] {
            s.key(),
            s.name().length() > 48 ? s.name().substring(0, 47) + "…" : s.name(),
            Integer.toString(s.profile()),
            s.needMib() > 0 ? Integer.toString(s.needMib()) : "-",
            s.reason()
          });
    }
    out.print(
        TextTable.renderCells(
            new String[] {"stage", "name", "profile", "need MiB", "why"}, stages));
    out.println("Settings at start-up (explicit user values win unless planner.override):");
    p.conf().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.println("  " + e.getKey() + "=" + e.getValue()));
  }
}
