package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.LinearModel;
import io.foresight.forecast.model.TreeEnsemble;
import io.foresight.testing.LocalSpark;
import io.foresight.testing.LocalUnderScheme;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecasterTest {
  @TempDir static Path scratch;
  static SparkSession spark;
  static ForecastModel model;
  static List<AppRun> runs;

  @BeforeAll
  static void train() {
    spark = LocalSpark.start(scratch.resolve("spark"), Map.of());
    spark.sparkContext().setLogLevel("WARN");
    runs = new ArrayList<>(SyntheticRuns.job("etl", 30, 11));
    // From run 20 on, the scheduler says how big the input paths are: half what the runs read
    // (they scan their table twice).
    for (int i = 20; i < 30; i++) {
      AppRun r = runs.get(i);
      runs.set(i, SyntheticRuns.copy(r, r.appId(), r.inputBytes() / 2));
    }
    runs.addAll(SyntheticRuns.job("once", 1, 12));
    runs.addAll(SyntheticRuns.jobWithSlots("elastic", 24, 13, -0.6));
    runs.addAll(SyntheticRuns.jobWithSlots("contended", 24, 14, 0.3));
    runs.addAll(SyntheticRuns.jobWithGpuRuns("gpujob", 24, 15));
    runs.addAll(SyntheticRuns.jobOnExecutors("roomy", 18, 16, 1024));
    runs.addAll(SyntheticRuns.jobOnExecutors("tight", 18, 17, 512));
    double[] aqe = new double[24];
    for (int i = 0; i < aqe.length; i++) {
      aqe[i] = 0.8 + 0.25 * (i % 12); // 0.8 to 3.55 GiB, twice
    }
    // the sort-merge plan above 2 GiB; the last run (3.55 GiB) had it
    runs.addAll(SyntheticRuns.jobWithTwoPlans("aqe", aqe, 2.0, 18));
    runs.sort(java.util.Comparator.comparingLong(AppRun::startMs));
    model =
        new ForecastTrainer(spark, ForecastTrainer.Options.defaults())
            .train(runs, Map.of("test", 1L), SyntheticRuns.START);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void exportedModelsPredictExactlyAsMllib() throws Exception {
    Random rnd = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double[] x = new double[6];
      for (int j = 0; j < x.length; j++) {
        x[j] = rnd.nextGaussian() * (j + 1);
      }
      double y =
          Math.sin(x[0]) + x[1] * x[2] * 0.1 + (x[3] > 0 ? 2 : -1) + 0.1 * rnd.nextGaussian();
      rows.add(RowFactory.create(Vectors.dense(x), y));
    }
    var df = spark.createDataFrame(rows, ForecastTrainer.schema());
    GBTRegressionModel gbt = new GBTRegressor().setMaxIter(25).setMaxDepth(5).setSeed(1).fit(df);
    LinearRegressionModel lin = new LinearRegression().setRegParam(0.1).fit(df);
    TreeEnsemble trees = MllibExport.of(gbt);
    LinearModel linear = MllibExport.of(lin);
    // through the model file format too
    TreeEnsemble reread =
        ModelJson.read(ModelStore.json().writeValueAsBytes(trees), TreeEnsemble.class);
    for (int i = 0; i < 2000; i++) {
      double[] x = new double[6];
      for (int j = 0; j < x.length; j++) {
        x[j] = rnd.nextGaussian() * (j + 1);
      }
      Vector v = Vectors.dense(x);
      assertEquals(gbt.predict(v), trees.predict(x), 0.0, "GBT at row " + i);
      assertEquals(gbt.predict(v), reread.predict(x), 0.0, "GBT from JSON at row " + i);
      assertEquals(lin.predict(v), linear.predict(x), 0.0, "linear at row " + i);
    }
  }

  @Test
  void globalModelsTrainOnRowsThatTheirTasksDoNotCarry() throws Exception {
    Random rnd = new Random(8);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      double[] x = new double[6];
      for (int j = 0; j < x.length; j++) {
        x[j] = rnd.nextGaussian();
      }
      rows.add(RowFactory.create(Vectors.dense(x), x[0] * x[1] + (x[2] > 0 ? 1 : 0)));
    }
    // A DataFrame of the local list: each partition, shipped with every task, holds its rows.
    var listed = spark.createDataFrame(rows, ForecastTrainer.schema());
    for (var p : listed.rdd().partitions()) {
      assertTrue(serialisedSize(p) > 100_000, "a partition of the list: " + serialisedSize(p));
    }
    var stored = ForecastTrainer.ShippedRows.of(spark, rows);
    try (stored) {
      assertEquals(listed.rdd().getNumPartitions(), stored.rdd().getNumPartitions());
      for (var p : stored.rdd().rdd().partitions()) {
        assertTrue(serialisedSize(p) < 1_000, "a shipped partition: " + serialisedSize(p));
      }
      // the same rows in the same partitions, so the same trees
      assertEquals(listed.rdd().toJavaRDD().glom().collect(), stored.rdd().glom().collect());
      GBTRegressor gbt = new GBTRegressor().setMaxIter(3).setMaxDepth(4).setSeed(3);
      GBTRegressionModel fromList = gbt.fit(listed);
      GBTRegressionModel fromShipped =
          gbt.fit(spark.createDataFrame(stored.rdd(), ForecastTrainer.schema()));
      for (int i = 0; i < rows.size(); i += 10) {
        Vector v = (Vector) rows.get(i).get(0);
        assertEquals(fromList.predict(v), fromShipped.predict(v), 0.0, "row " + i);
      }
    }
    // closed, the broadcast rows are gone
    assertThrows(SparkException.class, () -> stored.rows().value());
  }

  private static int serialisedSize(Object o) throws java.io.IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.size();
  }

  @Test
  void closedFormScalingFitsEqualMllibLinearRegression() {
    Random rnd = new Random(9);
    for (int trial = 0; trial < 6; trial++) {
      int n = 4 + rnd.nextInt(40);
      double[][] x = new double[n][3];
      double[] y = new double[n];
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        x[i][0] = rnd.nextGaussian() * 2 + 1;
        x[i][1] = trial % 2 == 0 ? Math.log(8) : rnd.nextGaussian(); // constant in half the trials
        x[i][2] = x[i][0] * 0.5 + rnd.nextGaussian() * 0.3; // correlated with column 0
        y[i] = 0.7 + 0.9 * x[i][0] - 0.4 * x[i][2] + 0.2 * x[i][1] + 0.1 * rnd.nextGaussian();
        rows.add(
            RowFactory.create(
                trial % 2 == 0
                    ? Vectors.dense(x[i][0], x[i][2])
                    : Vectors.dense(x[i][0], x[i][1], x[i][2]),
                y[i]));
      }
      LinearRegressionModel mllib =
          new LinearRegression()
              .setSolver("normal")
              .setRegParam(ForecastTrainer.SCALING_REG_PARAM)
              .setElasticNetParam(0.0)
              .setStandardization(true)
              .fit(spark.createDataFrame(rows, ForecastTrainer.schema()));
      LinearModel ours = ForecastTrainer.fitXY(x, y);
      double[] expected =
          trial % 2 == 0
              ? new double[] {mllib.coefficients().apply(0), 0, mllib.coefficients().apply(1)}
              : mllib.coefficients().toArray();
      assertEquals(mllib.intercept(), ours.intercept(), 1e-9, "intercept, trial " + trial);
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[j], ours.coefficients()[j], 1e-9, "b" + j + ", trial " + trial);
      }
    }
  }

  @Test
  void theStreamingReaderReadsWhatDatabindWrites() throws Exception {
    byte[] bytes = ModelStore.json().writeValueAsBytes(model);
    ForecastModel streamed = ModelStore.parse(bytes, "model.json");
    ForecastModel databind = ModelStore.json().readValue(bytes, ForecastModel.class);
    assertEquals(
        ModelStore.json().writeValueAsString(databind),
        ModelStore.json().writeValueAsString(streamed));
    assertTrue(!streamed.components().isEmpty() && streamed.jobs().containsKey("etl"));
    // non-finite values, written by databind as strings, come back as the same doubles
    var odd =
        new io.foresight.forecast.model.Calibration(
            3, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    assertEquals(
        odd.toString(),
        ModelJson.read(ModelStore.json().writeValueAsBytes(odd), odd.getClass()).toString());
  }

  @Test
  void forecastsARecurringJobWithinItsLaws() {
    DemandForecaster f = DemandForecaster.of(model);
    double gib = 2.5;
    DemandForecast d =
        f.forecast(DemandRequest.of("etl").withInputGib(gib).withStartMs(SyntheticRuns.START));
    assertTrue(d.actionable(), d.reason());
    assertEquals(4, d.stages().size());
    StageForecast scan =
        d.stages().stream().filter(s -> s.signature().equals("sig-scan")).findFirst().orElseThrow();
    double truth = 40 * Math.pow(gib, 0.9);
    double predicted = scan.get(Target.EXECUTOR_SECONDS).point();
    assertEquals(truth, predicted, 0.15 * truth, "scan executor-seconds");
    assertTrue(scan.get(Target.EXECUTOR_SECONDS).upper() > predicted);
    assertEquals("component", scan.model());
    StageForecast join =
        d.stages().stream().filter(s -> s.signature().equals("sig-join")).findFirst().orElseThrow();
    assertEquals(List.of("sig-agg", "sig-dim"), join.parents().stream().sorted().toList());
    double total = 0;
    for (StageForecast s : d.stages()) {
      total += s.get(Target.EXECUTOR_SECONDS).point();
    }
    // the job-level model and the sum of the stage models agree, and both are near the law
    assertEquals(total, d.coreSeconds().point(), 0.1 * total);
    double law = 75 * Math.pow(gib, 0.9);
    assertEquals(law, d.coreSeconds().point(), 0.15 * law);
    assertTrue(d.wallClockSeconds().point() > 4, "wall-clock includes the job overhead");
    assertTrue(d.usefulExecutors() >= 1);
    assertTrue(
        d.wallClockByExecutors().get(1)
            >= d.wallClockByExecutors().get(d.wallClockByExecutors().lastKey()));
    assertTrue(d.peakHeapGib().upper() >= d.peakHeapGib().point());
  }

  @Test
  void jobTotalsOfJobsWithFewRunsShareOneConformalCalibration() throws Exception {
    DemandForecaster f = DemandForecaster.of(model);
    DemandRequest req = DemandRequest.of("etl").withInputGib(2.5).withStartMs(SyntheticRuns.START);
    DemandForecast etl = f.forecast(req);
    // 30 runs: each after the third was predicted by a fit on the runs before it; 27 scores are
    // too few for the job alone (39), so all jobs' scores calibrate it
    assertTrue(
        etl.wallClockBound().matches("conformal over \\d+ runs of all \\d+ jobs"),
        etl.wallClockBound());
    assertEquals(etl.wallClockBound(), etl.coreSecondsBound());
    assertTrue(etl.wallClockSeconds().upper() > etl.wallClockSeconds().point());
    double stageBounds =
        etl.stages().stream().mapToDouble(s -> s.get(Target.EXECUTOR_SECONDS).upper()).sum();
    assertTrue(etl.coreSeconds().upper() > etl.coreSeconds().point());
    assertTrue(
        etl.coreSeconds().upper() < stageBounds,
        "the job's own bound is tighter than the sum of its stages' ("
            + etl.coreSeconds().upper()
            + " vs "
            + stageBounds
            + ")");
    // the same calibration for a job with 18 runs, each job's bound in its own model's width
    DemandForecast roomy = f.forecast(DemandRequest.of("roomy").withInputGib(2.0));
    assertEquals(etl.wallClockBound(), roomy.wallClockBound());
    // a model written before job calibrations were kept bounds the totals by the stage bounds
    ObjectNode tree = ModelStore.json().valueToTree(model);
    tree.get("jobs").forEach(j -> ((ObjectNode) j).remove("calibration"));
    ForecastModel old =
        ModelStore.parse(ModelStore.json().writeValueAsBytes(tree), "model without job bounds");
    DemandForecast before = DemandForecaster.of(old).forecast(req);
    assertEquals("sum of the stage bounds", before.coreSecondsBound());
    assertEquals(stageBounds, before.coreSeconds().upper(), 1e-6 * stageBounds);
    assertEquals("overhead plus the critical path of the stage bounds", before.wallClockBound());
    assertEquals(etl.wallClockSeconds().point(), before.wallClockSeconds().point(), 1e-9);
  }

  @Test
  void usefulExecutorsStopWhereTheJobsOwnRunsGotNoFaster() {
    DemandForecaster f = DemandForecaster.of(model);
    DemandRequest at2 =
        DemandRequest.of("contended")
            .withInputGib(2.0)
            .withStartMs(SyntheticRuns.START)
            .withExecutors(2, 2);
    // Its DAG could use more executors, as the same DAG does in the elastic job ...
    DemandForecast elastic =
        f.forecast(
            DemandRequest.of("elastic")
                .withInputGib(2.0)
                .withStartMs(SyntheticRuns.START)
                .withExecutors(2, 2));
    assertTrue(elastic.actionable(), elastic.reason());
    assertTrue(elastic.usefulExecutors() >= 2, "elastic: " + elastic.usefulExecutors());
    assertEquals("", elastic.usefulExecutorsReason());
    // ... but its runs with 2 executors (4 slots) were slower than those with 1 (2 slots).
    DemandForecast contended = f.forecast(at2);
    assertTrue(contended.actionable(), contended.reason());
    assertEquals(1, contended.usefulExecutors());
    assertEquals(
        "runs with 4 task slots were no faster than runs with 2",
        contended.usefulExecutorsReason());
    // ... so the wall-clock curve promises nothing past 1 executor.
    double atOne = contended.wallClockByExecutors().get(1);
    contended.wallClockByExecutors().forEach((e, w) -> assertTrue(w >= atOne, e + ": " + w));
    assertTrue(elastic.wallClockByExecutors().get(2) < elastic.wallClockByExecutors().get(1));
    // With 1-core executors, the 2 slots that paid are 2 executors.
    assertEquals(2, f.forecast(at2.withExecutors(1, 4)).usefulExecutors());
  }

  @Test
  void memoryStaysWithinWhatTheRunsShowedToBeEnough() {
    DemandForecaster f = DemandForecaster.of(model);
    double largest =
        runs.stream()
            .filter(r -> r.jobKey().equals("roomy"))
            .mapToDouble(AppRun::inputGib)
            .max()
            .orElseThrow();
    // Heap peaks of at most 0.6 GiB on 2-core executors of 1 GiB: 512 MiB per core was enough,
    // for inputs up to the largest such run had (and a little more).
    for (double gib : new double[] {1.0, largest, 1.05 * largest}) {
      DemandForecast roomy =
          f.forecast(DemandRequest.of("roomy").withInputGib(gib).withStartMs(SyntheticRuns.START));
      assertTrue(roomy.actionable(), roomy.reason());
      assertEquals(4, roomy.stages().size());
      roomy.stages().forEach(s -> assertEquals(512.0, s.memoryCeilingMibPerCore(), s.signature()));
    }
    // Twice the largest volume was never run on that size: no ceiling.
    f.forecast(DemandRequest.of("roomy").withInputGib(2 * largest).withStartMs(SyntheticRuns.START))
        .stages()
        .forEach(s -> assertEquals(0.0, s.memoryCeilingMibPerCore(), s.signature()));
    // On 512 MiB the larger runs' heap peaks came within 10 % of the executor's memory: no proof.
    DemandForecast tight =
        f.forecast(DemandRequest.of("tight").withInputGib(1.0).withStartMs(SyntheticRuns.START));
    assertEquals(4, tight.stages().size());
    tight.stages().forEach(s -> assertEquals(0.0, s.memoryCeilingMibPerCore(), s.signature()));
    // Runs of unknown executor memory prove nothing either.
    assertEquals(0, model.components().get("sig-scan").memoryEvidence().mostMibPerCore());
  }

  @Test
  void aRunShortOfMemoryLiftsTheCeilingBeforeTheNextTraining() throws Exception {
    DemandForecaster f = DemandForecaster.of(model);
    DemandRequest at1 =
        DemandRequest.of("roomy").withInputGib(1.0).withStartMs(SyntheticRuns.START);
    assertEquals(512.0, f.forecast(at1).stages().get(0).memoryCeilingMibPerCore());
    // A run within the proven size: the ceiling stands, and now covers its larger input.
    AppRun fine = SyntheticRuns.runOnExecutors("roomy", 100, 5.0, 21, 1024);
    f.useStats(OnlineStats.fold(f.stats(), f, fine));
    assertEquals(
        512.0, f.forecast(at1.withInputGib(5.0)).stages().get(0).memoryCeilingMibPerCore());
    // A run whose heap peaks reached 1.05 GiB of 1 GiB executors: no size is proven any more.
    AppRun short_ = SyntheticRuns.runOnExecutors("roomy", 101, 8.0, 22, 1024);
    assertTrue(ComponentRun.of(short_).get(0).memoryPressure());
    ModelStore models = ModelStore.of(scratch.resolve("memory-models").toString());
    OnlineStats.update(models, f, short_);
    f.forecast(at1).stages().forEach(s -> assertEquals(0.0, s.memoryCeilingMibPerCore()));
    // The statistics file keeps it for the next driver.
    assertTrue(OnlineStats.read(models, f.modelVersion()).memory("roomy-scan").pressureAtMost());
  }

  @Test
  void gpuRunsMeasureSpeedupsAndStayOutOfTheCpuLaws() {
    Map<String, ComponentModel> c = model.components();
    double scan = c.get("gpujob-scan").gpuSpeedup();
    double join = c.get("gpujob-join").gpuSpeedup();
    double dim = c.get("gpujob-dim").gpuSpeedup();
    assertEquals(SyntheticRuns.GPU_SCAN_SPEEDUP, scan, 0.15 * SyntheticRuns.GPU_SCAN_SPEEDUP);
    assertEquals(SyntheticRuns.GPU_JOIN_SPEEDUP, join, 0.15 * SyntheticRuns.GPU_JOIN_SPEEDUP);
    assertEquals(1.0, dim, 0.15);
    assertEquals(0, c.get("sig-scan").gpuSpeedup(), "never ran on GPU: not measured");

    double gib = 2.5;
    DemandForecast d =
        DemandForecaster.of(model)
            .forecast(
                DemandRequest.of("gpujob").withInputGib(gib).withStartMs(SyntheticRuns.START));
    assertTrue(d.actionable(), d.reason());
    StageForecast s =
        d.stages().stream()
            .filter(x -> x.signature().equals("gpujob-scan"))
            .findFirst()
            .orElseThrow();
    assertEquals(scan, s.gpuSpeedup());
    // The CPU prediction is the CPU law: the faster GPU runs did not pull it down.
    double truth = 40 * Math.pow(gib, 0.9);
    assertEquals(truth, s.get(Target.EXECUTOR_SECONDS).point(), 0.15 * truth);
    double law = 75 * Math.pow(gib, 0.9);
    assertEquals(law, d.coreSeconds().point(), 0.15 * law);
  }

  @Test
  void oneJobsPartsForecastAsTheWholeModel() throws Exception {
    Path history = scratch.resolve("parts-history");
    ModelStore store = ModelStore.of(history.toString());
    Path whole = Path.of(store.save(model));
    Path dir = whole.getParent();
    assertEquals(model.jobs().size(), Files.list(dir.resolve("jobs")).count());
    DemandForecaster all = DemandForecaster.open(history.toString());
    for (String job : model.jobs().keySet()) {
      DemandForecaster one = DemandForecaster.openForJob(history.toString(), job);
      assertEquals(Set.of(job), one.model().jobs().keySet());
      assertTrue(one.model().components().size() < model.components().size(), job);
      for (double gib : new double[] {0.5, 2.0, 3.3}) {
        DemandRequest req =
            DemandRequest.of(job).withInputGib(gib).withStartMs(SyntheticRuns.START + 3_600_000L);
        assertEquals(all.forecast(req), one.forecast(req), job + " at " + gib);
        assertEquals(
            all.forecast(req.withExecutors(4, 3)), one.forecast(req.withExecutors(4, 3)), job);
      }
    }
    long part = Files.size(dir.resolve("jobs").resolve(ModelStore.jobFileName("etl")));
    assertTrue(part < Files.size(whole) / 4, part + " of " + Files.size(whole));

    // a job the model does not know: the same answer, with the whole model's count
    DemandRequest unknown = DemandRequest.of("nightly").withInputGib(1);
    String reason =
        DemandForecaster.openForJob(history.toString(), "nightly").forecast(unknown).reason();
    assertEquals(all.forecast(unknown).reason(), reason);
    assertTrue(reason.contains("knows " + model.jobs().size() + " job(s)"), reason);

    // a damaged part, or none (a model written before parts): the whole model is read
    Path etl = dir.resolve("jobs").resolve(ModelStore.jobFileName("etl"));
    DemandRequest req = DemandRequest.of("etl").withInputGib(2).withStartMs(SyntheticRuns.START);
    Files.writeString(etl, "{\"formatVersion\": 2, \"jobs\": [");
    DemandForecaster fallback = DemandForecaster.openForJob(history.toString(), "etl");
    assertEquals(model.jobs().size(), fallback.model().jobs().size());
    assertEquals(all.forecast(req), fallback.forecast(req));
    Files.copy(
        dir.resolve("jobs").resolve(ModelStore.jobFileName("aqe")),
        etl,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(
        all.forecast(req), DemandForecaster.openForJob(history.toString(), "etl").forecast(req));
    Files.delete(dir.resolve("global.json"));
    assertEquals(
        all.forecast(req), DemandForecaster.openForJob(history.toString(), "etl").forecast(req));
  }

  @Test
  void eachJobsStatisticsAreItsOwnFile() throws Exception {
    Path history = scratch.resolve("job-stats-history");
    ModelStore store = ModelStore.of(history.toString());
    Path models = store.root();
    // what an older Foresight left: one file of all jobs, for this model version
    Files.createDirectories(models);
    Random rnd = new Random(31);
    DemandForecaster older = DemandForecaster.of(model);
    OnlineStats.Snapshot legacy =
        OnlineStats.fold(
            OnlineStats.Snapshot.empty(model.version()),
            older,
            SyntheticRuns.run("elastic", 200, 2.0, rnd, 1.5));
    ModelStore.json().writeValue(models.resolve(OnlineStats.FILE).toFile(), legacy);
    store.save(model);
    assertFalse(Files.exists(models.resolve(OnlineStats.FILE)), "a new version drops it");
    ModelStore.json().writeValue(models.resolve(OnlineStats.FILE).toFile(), legacy);

    DemandRequest etlReq =
        DemandRequest.of("etl").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    DemandRequest elasticReq =
        DemandRequest.of("elastic").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    DemandForecaster etl = DemandForecaster.openForJob(history.toString(), "etl");
    OnlineStats.update(store, etl, SyntheticRuns.run("etl", 300, 2.0, rnd, 2.0));
    DemandForecaster elastic = DemandForecaster.openForJob(history.toString(), "elastic");
    OnlineStats.update(store, elastic, SyntheticRuns.run("elastic", 301, 2.0, rnd, 2.0));

    // one file a job, holding its own runs only (the old file's entries stay in the old file)
    OnlineStats.Snapshot etlFile =
        ModelJson.read(
            Files.readAllBytes(models.resolve(OnlineStats.jobFile("etl"))),
            OnlineStats.Snapshot.class);
    assertEquals(List.of("app-etl-300"), etlFile.appliedApps());
    assertEquals(Set.of("etl"), etlFile.jobs().keySet());
    assertTrue(etlFile.components().keySet().stream().allMatch(k -> k.startsWith("sig-")));
    // a job's forecaster reads the old file and its own; the whole one reads everything
    OnlineStats.Snapshot all = OnlineStats.read(store, model.version());
    assertEquals(
        Set.of("app-elastic-200", "app-etl-300", "app-elastic-301"), Set.copyOf(all.appliedApps()));
    assertEquals(
        Set.of("app-elastic-200", "app-etl-300"),
        Set.copyOf(OnlineStats.readJob(store, model.version(), "etl").appliedApps()));
    DemandForecaster whole = DemandForecaster.open(history.toString());
    assertEquals(
        whole.forecast(etlReq),
        DemandForecaster.openForJob(history.toString(), "etl").forecast(etlReq));
    assertEquals(
        whole.forecast(elasticReq),
        DemandForecaster.openForJob(history.toString(), "elastic").forecast(elasticReq));
    assertEquals(etl.forecast(etlReq), whole.forecast(etlReq), "the updating driver sees it too");
    // a file of another model version is not read
    Files.writeString(
        models.resolve(OnlineStats.jobFile("etl")),
        Files.readString(models.resolve(OnlineStats.jobFile("etl")))
            .replace(model.version(), "19990101T000000Z"));
    assertFalse(
        OnlineStats.readJob(store, model.version(), "etl").appliedApps().contains("app-etl-300"));
  }

  @Test
  void aCapturedGpuRunLeavesTheCpuPredictionsAsTheyWere() throws Exception {
    Path history = scratch.resolve("gpu-online-history");
    ModelStore store = ModelStore.of(history.toString());
    store.save(model);
    DemandForecaster f = DemandForecaster.open(history.toString());
    DemandRequest req =
        DemandRequest.of("gpujob").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    DemandForecast before = f.forecast(req);
    List<AppRun> later = SyntheticRuns.jobWithGpuRuns("gpujob", 6, 77);
    AppRun gpu = later.get(5);
    AppRun cpu = later.get(4);
    assertTrue(gpu.onGpu());
    assertFalse(cpu.onGpu());
    OnlineStats.update(store, f, gpu);
    DemandForecast after = f.forecast(req);
    assertEquals(before.coreSeconds().point(), after.coreSeconds().point(), 1e-9);
    assertEquals(before.wallClockSeconds().point(), after.wallClockSeconds().point(), 1e-9);
    // A CPU run does move them: the online statistics are live.
    OnlineStats.update(store, f, cpu);
    assertNotEquals(before.coreSeconds().point(), f.forecast(req).coreSeconds().point());
  }

  @Test
  void theBacktestScoresOnlyCpuRuns() {
    List<AppRun> gpuJob = SyntheticRuns.jobWithGpuRuns("gpujob", 18, 15);
    // The component models are scored here; a small global model is enough.
    Backtest.Report r =
        Backtest.run(spark, gpuJob, new Backtest.Options(12, 6, LocalTraining.smallGlobal(0.25)));
    List<String> scored = r.runs().stream().map(Backtest.RunResult::appId).toList();
    // Runs 12..17; 14 and 17 ran on GPU executors.
    assertEquals(
        List.of("app-gpujob-12", "app-gpujob-13", "app-gpujob-15", "app-gpujob-16"), scored);
    assertTrue(r.stages().stream().noneMatch(s -> s.appId().endsWith("-14")));
    assertTrue(r.coreSecondsMape() < 15, "CPU runs, CPU laws: " + r.coreSecondsMape());
    // A stage's usual work is the median over its earlier CPU runs: 0..15 but 2, 5, 8, 11, 14.
    Backtest.StageResult last =
        r.stages().stream().filter(s -> s.appId().endsWith("-16")).findFirst().orElseThrow();
    double[] earlier =
        gpuJob.subList(0, 16).stream()
            .filter(run -> !run.onGpu())
            .flatMap(run -> ComponentRun.of(run).stream())
            .filter(c -> c.signature().equals(last.signature()))
            .mapToDouble(c -> c.labels().get(Target.EXECUTOR_SECONDS))
            .toArray();
    assertEquals(11, earlier.length);
    assertEquals(ForecastTrainer.median(earlier), last.executorSecondsUsual(), 1e-12);
  }

  @Test
  void theStagesForecastAreThoseOfThePlanRunsOfThatVolumeHad() {
    DemandForecaster f = DemandForecaster.of(model);
    DemandForecast small = f.forecast(DemandRequest.of("aqe").withInputGib(1.2));
    DemandForecast large = f.forecast(DemandRequest.of("aqe").withInputGib(3.3));
    assertEquals(
        List.of("aqe-scan", "aqe-agg", "aqe-dim", "aqe-join"),
        small.stages().stream().map(StageForecast::signature).toList());
    assertEquals(
        List.of("aqe-scan", "aqe-agg", "aqe-dim", "aqe-exchange", "aqe-join-smj"),
        large.stages().stream().map(StageForecast::signature).toList());
    // the forecast says which plan it took and from which runs: at 1.2 GiB, the runs at 1.3 GiB
    // (twice) and at 1.05 GiB
    assertEquals(
        "plan 1 of the 2 stage DAGs the job ran: that of most of the runs nearest in input volume"
            + " (1.30, 1.30, 1.05 GiB)",
        small.planChoice());
    assertTrue(large.planChoice().startsWith("plan 2 of the 2 "), large.planChoice());
    assertEquals("", f.forecast(DemandRequest.of("etl").withInputGib(2.0)).planChoice());
    for (DemandForecast d : List.of(small, large)) {
      assertTrue(d.actionable(), d.reason());
      for (StageForecast s : d.stages()) {
        assertTrue(s.get(Target.EXECUTOR_SECONDS).present(), s.signature());
      }
    }
    // the sort-merge join does twice the broadcast join's work per GiB: at the same volume, the
    // plan's stages predict more work
    double smj = work(large, "aqe-join-smj");
    double broadcast = work(f.forecast(DemandRequest.of("aqe").withInputGib(1.8)), "aqe-join");
    double smjAtSame = work(f.forecast(DemandRequest.of("aqe").withInputGib(2.2)), "aqe-join-smj");
    assertTrue(smjAtSame > 1.5 * broadcast, broadcast + " at 1.8 GiB, " + smjAtSame + " at 2.2");
    assertTrue(smj > smjAtSame, smjAtSame + " at 2.2 GiB, " + smj + " at 3.3");
  }

  private static double work(DemandForecast d, String signature) {
    return d.stages().stream()
        .filter(s -> s.signature().equals(signature))
        .findFirst()
        .orElseThrow(() -> new AssertionError(signature + " not in " + d.stages()))
        .get(Target.EXECUTOR_SECONDS)
        .point();
  }

  @Test
  void aJobWithOneRunIsLowConfidence() {
    DemandForecast d =
        DemandForecaster.of(model).forecast(DemandRequest.of("once").withInputGib(1));
    assertEquals(Confidence.LOW, d.confidence());
    assertFalse(d.actionable());
    assertTrue(d.reason().contains("1 run"), d.reason());
  }

  @Test
  void aHistoryTooSmallForAnyModelPredictsNothingAndSaysWhy() {
    // A first import of one application: no component model, and too few rows for a global one.
    List<AppRun> one = SyntheticRuns.job("first", 1, 19);
    ForecastModel tiny =
        new ForecastTrainer(spark, ForecastTrainer.Options.defaults())
            .train(one, Map.of(), one.get(0).startMs());
    DemandForecast d = DemandForecaster.of(tiny).forecast(DemandRequest.of("first"));
    assertFalse(d.actionable());
    // the job's own shortage is the reason, not the input volume that follows from it
    assertTrue(d.reason().contains("has 1 run(s)"), d.reason());
    assertFalse(d.stages().isEmpty());
    for (StageForecast s : d.stages()) {
      assertFalse(s.get(Target.EXECUTOR_SECONDS).present(), s.signature());
    }
    assertFalse(d.coreSeconds().present());
    // no work estimate, so no executor curve and no useful executor count
    assertEquals(0, d.usefulExecutors());
    assertTrue(d.wallClockByExecutors().isEmpty(), d.wallClockByExecutors().toString());
  }

  @Test
  void withoutAnInputVolumeTheSeasonalForecastIsUsed() {
    long lastStart = lastStart("etl");
    // the run after training: run 30 of the planted season, 2 * (1 + 0.5 sin(2 pi 30 / 6)) = 2
    DemandForecast d =
        DemandForecaster.of(model)
            .forecast(DemandRequest.of("etl").withStartMs(lastStart + SyntheticRuns.EVERY_4H));
    assertEquals("seasonal forecast", d.inputGib().reason());
    assertEquals(2.0, d.inputGib().point(), 0.6);
    assertTrue(d.nextStartMs().present());
    assertEquals(lastStart + 2 * SyntheticRuns.EVERY_4H, d.nextStartMs().point(), 60_000);
  }

  @Test
  void aModelUsedRunsAfterItsTrainingForecastsTheRunAtHand() {
    // Trained on runs 0-29 every 4 hours; asked at run 32's time (an hour late), then run 34's.
    // Run 32 of the planted season: 2 * (1 + 0.5 sin(2 pi 32 / 6)) = 2.87; run 34: 1.13. The
    // run after training (run 30) would be 2.0 for both.
    long lastStart = lastStart("etl");
    DemandForecaster f = DemandForecaster.of(model);
    DemandForecast d32 =
        f.forecast(
            DemandRequest.of("etl").withStartMs(lastStart + 3 * SyntheticRuns.EVERY_4H + 3600_000));
    assertEquals(2.87, d32.inputGib().point(), 0.45, d32.inputGib().reason());
    assertTrue(d32.inputGib().reason().contains("3 runs after"), d32.inputGib().reason());
    assertEquals(lastStart + 4 * SyntheticRuns.EVERY_4H, d32.nextStartMs().point(), 60_000);
    DemandForecast d34 =
        f.forecast(DemandRequest.of("etl").withStartMs(lastStart + 5 * SyntheticRuns.EVERY_4H));
    assertEquals(1.13, d34.inputGib().point(), 0.45, d34.inputGib().reason());
    assertEquals(lastStart + 6 * SyntheticRuns.EVERY_4H, d34.nextStartMs().point(), 60_000);
    // A year later the next start is still ahead of the request, not a year in the past.
    long yearLater = lastStart + 365L * 24 * 3600_000;
    DemandForecast late = f.forecast(DemandRequest.of("etl").withStartMs(yearLater));
    assertTrue(late.nextStartMs().point() > yearLater, late.nextStartMs().toString());
    assertTrue(
        late.nextStartMs().point() <= yearLater + SyntheticRuns.EVERY_4H + 60_000,
        late.nextStartMs().toString());
    assertTrue(Double.isFinite(late.inputGib().point()) && late.inputGib().point() < 4);
    // Far ahead, whole seasons are stepped over at once, in phase: run 1033 (1004 after
    // training, an hour late) is at the season's high again, the next one an hour early.
    DemandForecast d1033 =
        f.forecast(
            DemandRequest.of("etl")
                .withStartMs(lastStart + 1004 * SyntheticRuns.EVERY_4H + 3600_000));
    assertEquals(2.87, d1033.inputGib().point(), 0.45, d1033.inputGib().reason());
    assertTrue(d1033.inputGib().reason().contains("1004 runs after"), d1033.inputGib().reason());
    assertEquals(lastStart + 1005 * SyntheticRuns.EVERY_4H, d1033.nextStartMs().point(), 60_000);
    // Past the runs laid out at most, no start is forecast, and the volume says how far it is.
    DemandForecast beyond =
        f.forecast(
            DemandRequest.of("etl")
                .withStartMs(
                    lastStart + (DemandForecaster.MAX_RUNS_AHEAD + 5) * SyntheticRuns.EVERY_4H));
    assertFalse(beyond.nextStartMs().present());
    assertTrue(beyond.nextStartMs().reason().contains("10000"), beyond.nextStartMs().reason());
    assertTrue(beyond.inputGib().reason().contains("10000"), beyond.inputGib().reason());
  }

  @Test
  void aRerunOfADateTrainedOnReadsWhatThatRunRead() {
    JobTemplate etl = model.jobs().get("etl");
    List<Long> starts = etl.runStartsMs();
    List<Double> volumes = etl.inputGib();
    DemandForecaster f = DemandForecaster.of(model);
    // a backfill of run 27's date, asked an hour after its scheduled time
    DemandForecast d27 = f.forecast(DemandRequest.of("etl").withStartMs(starts.get(27) + 3600_000));
    assertEquals(volumes.get(27), d27.inputGib().point(), 1e-9, d27.inputGib().reason());
    assertTrue(d27.inputGib().upper() >= volumes.get(27), d27.inputGib().toString());
    assertTrue(
        d27.inputGib().reason().contains("rerun or backfill of that date"),
        d27.inputGib().reason());
    // the last run trained on, rerun under its own scheduled time
    int last = starts.size() - 1;
    assertEquals(
        volumes.get(last),
        f.forecast(DemandRequest.of("etl").withStartMs(starts.get(last))).inputGib().point(),
        1e-9);
    // the planted season moves the volume: the runs' volumes differ, and so do the forecasts
    assertTrue(Math.abs(volumes.get(27) - volumes.get(last)) > 0.1, volumes.toString());
    // a date before the history is no rerun of a run trained on: seasonal
    DemandForecast before =
        f.forecast(DemandRequest.of("etl").withStartMs(starts.get(0) - 3 * SyntheticRuns.EVERY_4H));
    assertTrue(
        before.inputGib().reason().startsWith("seasonal forecast"), before.inputGib().reason());
  }

  @Test
  void aListedInputIsScaledByWhatTheJobsRunsReadPerListedByte() throws Exception {
    DemandForecaster f = DemandForecaster.of(model);
    DemandForecast etl = f.forecast(DemandRequest.of("etl").withListedInputGib(1.5));
    assertEquals(3.0, etl.inputGib().point(), 1e-6, etl.inputGib().reason());
    assertEquals(3.0, etl.inputGib().upper(), 1e-6);
    assertEquals(Confidence.HIGH, etl.inputGib().confidence());
    assertTrue(etl.inputGib().reason().contains("x 2.00:"), etl.inputGib().reason());
    assertTrue(
        etl.inputGib().reason().contains("last 10 run(s) that listed"), etl.inputGib().reason());
    // the forecast is the one of that volume
    DemandForecast asVolume = f.forecast(DemandRequest.of("etl").withInputGib(3.0));
    assertEquals(asVolume.coreSeconds().point(), etl.coreSeconds().point(), 1e-9);
    // a volume given wins over a listing
    assertEquals(
        2.5,
        f.forecast(DemandRequest.of("etl").withInputGib(2.5).withListedInputGib(1.5))
            .inputGib()
            .point());
    // a job whose runs never listed their input takes the listing as the volume
    DemandForecast roomy = f.forecast(DemandRequest.of("roomy").withListedInputGib(1.5));
    assertEquals(1.5, roomy.inputGib().point(), 1e-9);
    assertTrue(roomy.inputGib().reason().contains("no earlier run"), roomy.inputGib().reason());
    assertFalse(
        f.forecast(DemandRequest.of("etl").withListedInputGib(Double.NaN)).inputGib().present());
    // the listings survive the model file, whole and in parts
    Path history = scratch.resolve("listed-history");
    ModelStore.of(history.toString()).save(model);
    for (DemandForecaster loaded :
        List.of(
            DemandForecaster.open(history.toString()),
            DemandForecaster.openForJob(history.toString(), "etl"))) {
      assertEquals(
          3.0,
          loaded.forecast(DemandRequest.of("etl").withListedInputGib(1.5)).inputGib().point(),
          1e-6);
    }
  }

  private static long lastStart(String jobKey) {
    return runs.stream()
        .filter(r -> r.jobKey().equals(jobKey))
        .mapToLong(AppRun::startMs)
        .max()
        .orElseThrow();
  }

  @Test
  void runsBelowTheModelLowerThePointButNotTheBound() {
    DemandForecaster f = DemandForecaster.of(model);
    DemandRequest req = DemandRequest.of("etl").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    Estimate before = scan(f.forecast(req));
    Random rnd = new Random(21);
    for (int i = 0; i < 3; i++) {
      f.useStats(OnlineStats.fold(f.stats(), f, SyntheticRuns.run("etl", 200 + i, 2.0, rnd, 0.7)));
    }
    Estimate faster = scan(f.forecast(req));
    assertTrue(faster.point() < 0.9 * before.point(), before.point() + " -> " + faster.point());
    assertEquals(before.upper(), faster.upper(), 1e-9, "a calibrated bound is not narrowed");
    for (int i = 0; i < 6; i++) {
      f.useStats(OnlineStats.fold(f.stats(), f, SyntheticRuns.run("etl", 300 + i, 2.0, rnd, 1.6)));
    }
    Estimate slower = scan(f.forecast(req));
    assertTrue(slower.point() > before.point(), before.point() + " -> " + slower.point());
    assertTrue(slower.upper() > before.upper(), before.upper() + " -> " + slower.upper());
  }

  @Test
  void aFormatOneModelStillLoadsAndKeepsItsPlainBounds() throws Exception {
    // the model as format 1 wrote it: no spreads, so its calibration is in plain log units
    String json =
        ModelStore.json()
            .writeValueAsString(model)
            .replace("\"formatVersion\":2", "\"formatVersion\":1")
            .replaceAll("\"residualSd\":[^,}]+", "\"residualSd\":0")
            .replaceAll("\"pointShift\":[^,}]+", "\"pointShift\":0")
            .replaceAll("\"maxLogResidual\":[^,}]+", "\"maxLogResidual\":0");
    ForecastModel old = ModelStore.parse(json.getBytes(StandardCharsets.UTF_8), "format-1 model");
    DemandRequest req = DemandRequest.of("etl").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    Estimate bound = scan(DemandForecaster.of(old).forecast(req));
    double q = old.target(Target.EXECUTOR_SECONDS).componentCalibration().quantileLog();
    double f = Target.EXECUTOR_SECONDS.toLog(bound.point());
    assertEquals(Target.EXECUTOR_SECONDS.upperFromLog(f + q), bound.upper(), 1e-9 * bound.upper());
    // the same model with its spreads bounds the scan by its own, small, noise, and its point is
    // moved by the scan's shift towards where its runs usually land
    Estimate current = scan(DemandForecaster.of(model).forecast(req));
    double shift =
        model.components().get("sig-scan").scaling().get("executor_seconds").pointShift();
    assertEquals(
        f + shift, Target.EXECUTOR_SECONDS.toLog(current.point()), 1e-9, "the point's shift");
    assertNotEquals(bound.upper(), current.upper());
  }

  private static Estimate scan(DemandForecast d) {
    return d.stages().stream()
        .filter(s -> s.signature().equals("sig-scan"))
        .findFirst()
        .orElseThrow()
        .get(Target.EXECUTOR_SECONDS);
  }

  @Test
  void onlineUpdatesChangeTheNextPredictionAndFlagDrift() throws Exception {
    Path history = scratch.resolve("online-history");
    ModelStore store = ModelStore.of(history.toString());
    store.save(model);
    DemandForecaster f = DemandForecaster.open(history.toString());
    DemandRequest req = DemandRequest.of("etl").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    DemandForecast first = f.forecast(req);
    double before = first.coreSeconds().point();
    double wallBefore = first.wallClockSeconds().point();
    Random rnd = new Random(9);
    for (int i = 0; i < 4; i++) {
      OnlineStats.update(store, f, SyntheticRuns.run("etl", 100 + i, 2.0, rnd, 2.0));
    }
    DemandForecast next = f.forecast(req);
    double after = next.coreSeconds().point();
    assertTrue(after > before * 1.5, "after slowed runs: " + before + " -> " + after);
    assertTrue(next.wallClockSeconds().point() > wallBefore * 1.3, "wall-clock moves too");
    assertTrue(f.drifting("etl"));
    assertEquals(Confidence.LOW, f.forecast(req).confidence());
    // a new forecaster over the same files sees the same statistics
    DemandForecaster reopened = DemandForecaster.open(history.toString());
    assertEquals(after, reopened.forecast(req).coreSeconds().point(), 1e-9);
    // applying the same run again changes nothing
    int n = reopened.stats().appliedApps().size();
    OnlineStats.update(store, reopened, SyntheticRuns.run("etl", 100, 2.0, rnd, 2.0));
    assertEquals(n, reopened.stats().appliedApps().size());
    assertNotEquals(before, after);
    assertTrue(Files.exists(store.root().resolve(OnlineStats.jobFile("etl"))));
    assertFalse(Files.exists(store.root().resolve(OnlineStats.FILE)));
  }

  @Test
  void aHistoryOnAHadoopFileSystemKeepsItsModelsBesideIt() throws Exception {
    DemandRequest req = DemandRequest.of("etl").withInputGib(2.0).withStartMs(SyntheticRuns.START);
    double fresh = DemandForecaster.of(model).forecast(req).coreSeconds().point();
    // "hdfsish" stands for a file system with renames (HDFS), "nofc" for one without Hadoop's
    // FileContext binding, s3a for an object store
    for (String scheme : List.of("hdfsish", "nofc", "s3a")) {
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      LocalUnderScheme.register(conf, scheme);
      if (scheme.equals("nofc")) {
        conf.unset("fs.AbstractFileSystem.nofc.impl");
      }
      Path disk = scratch.resolve("remote-" + scheme);
      String history = scheme + "://" + disk;
      ModelStore store = ModelStore.of(history, conf);
      assertEquals(null, store.root(), "not a local folder");
      assertTrue(store.location().startsWith(scheme + ":"), store.location());

      int renames = LocalUnderScheme.RENAMES.get();
      int replacing = io.foresight.testing.LocalUnderSchemeFs.REPLACING_RENAMES.get();
      String saved = store.save(model);
      Path models = disk.resolve("models");
      assertTrue(saved.startsWith(scheme + ":") && saved.endsWith("/model.json"), saved);
      assertEquals(model.version() + "\n", Files.readString(models.resolve("LATEST")));
      assertTrue(
          Files.isRegularFile(
              models
                  .resolve(model.version())
                  .resolve("jobs")
                  .resolve(ModelStore.jobFileName("etl"))));
      // an object store is written in place (a rename there is a copy); elsewhere beside, then
      // renamed over the old file in one step through FileContext where the scheme has it
      int renamed = LocalUnderScheme.RENAMES.get() - renames;
      assertEquals(scheme.equals("s3a"), renamed == 0, scheme + ": " + renamed + " renames");
      int replaced = io.foresight.testing.LocalUnderSchemeFs.REPLACING_RENAMES.get() - replacing;
      assertEquals(scheme.equals("hdfsish"), replaced > 0, scheme + ": " + replaced);
      try (var files = Files.walk(models)) {
        assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList());
      }

      // what the plugin does at start-up and at the end of a run, through Hadoop
      DemandForecaster f = DemandForecaster.openForJob(history, conf, "etl");
      assertEquals(null, f.problem());
      assertEquals(fresh, f.forecast(req).coreSeconds().point(), 1e-9);
      Random rnd = new Random(9);
      for (int i = 0; i < 4; i++) {
        OnlineStats.update(store, f, SyntheticRuns.run("etl", 100 + i, 2.0, rnd, 2.0));
      }
      assertTrue(Files.isRegularFile(models.resolve(OnlineStats.jobFile("etl"))));
      double after =
          DemandForecaster.openForJob(history, conf, "etl").forecast(req).coreSeconds().point();
      assertTrue(after > fresh * 1.5, "the next driver sees the runs: " + fresh + " -> " + after);

      // training again keeps the newest versions
      String next = ModelStore.versionAt(System.currentTimeMillis() + 86_400_000L);
      store.save(ForecastModel.empty(next, List.of()));
      assertEquals(List.of(model.version(), next), store.versions());
      assertEquals(List.of(model.version()), store.prune(1));
      assertFalse(Files.exists(models.resolve(model.version())));
      assertEquals(next, store.latestVersion());
    }
  }
}
