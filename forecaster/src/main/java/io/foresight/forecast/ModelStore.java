package io.foresight.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.TargetModel;
import io.foresight.history.HistoryLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;

/**
 * Model versions under {@code <history>/models/}: one folder per version holding {@code
 * model.json}, and a {@code LATEST} file naming the version predictions use by default. Versions
 * are UTC timestamps ({@code 20261122T161500Z}), so they sort by age.
 *
 * <p>A version also holds its model in parts, for a reader that forecasts one job (the plugin, at
 * every application's start and end): {@code global.json} (the global models and the metadata) and
 * {@code jobs/<hash of the job key>.json} (the job and the components its DAGs use), in the same
 * format, with the rest left empty. {@code model.json} grows with every recurring job the history
 * holds (about 190 KB a job of 50 stages); a job's parts do not.
 *
 * <p>The folder is beside the history wherever it is: a local folder, or any file system Hadoop
 * reaches (HDFS, S3, GCS, ABFS), read and written through Hadoop's {@code FileSystem} ({@link
 * ModelFiles} says how each replaces a file).
 */
public final class ModelStore {
  static final String MODEL_FILE = "model.json";
  static final String GLOBAL_FILE = "global.json";
  static final String JOBS_DIR = "jobs";
  static final String LATEST_FILE = "LATEST";
  private static final DateTimeFormatter VERSION_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * The writer of model and statistics files, built on first use: building a databind mapper in a
   * cold JVM takes 60–90 ms, and reading (inside spark-submit) needs none ({@link ModelJson}).
   */
  private static final class Writer {
    static final ObjectMapper JSON =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(
                com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, false);
  }

  private final ModelFiles files;

  private ModelStore(ModelFiles files) {
    this.files = files;
  }

  /**
   * The model folder of the history at {@code historyPath}; a history on another file system than
   * the local one is reached with Hadoop's default configuration.
   *
   * @throws ModelException when its file system cannot be reached (no connector for its scheme)
   */
  public static ModelStore of(String historyPath) throws ModelException {
    return of(historyPath, null);
  }

  /**
   * The model folder of the history at {@code historyPath}, reached with {@code hadoopConf} (the
   * application's, with its {@code spark.hadoop.*} settings) when it is not local.
   *
   * @throws ModelException when its file system cannot be reached (no connector for its scheme)
   */
  public static ModelStore of(String historyPath, Configuration hadoopConf) throws ModelException {
    HistoryLocation location = HistoryLocation.of(historyPath);
    Path local = location.localFolder();
    if (local != null) {
      return new ModelStore(ModelFiles.local(local.resolve("models")));
    }
    String root = location.root() + "/models";
    try {
      return new ModelStore(
          ModelFiles.hadoop(root, hadoopConf == null ? new Configuration() : hadoopConf));
    } catch (IOException | RuntimeException e) {
      throw new ModelException(
          "Cannot reach the model folder "
              + root
              + ": "
              + e.getMessage()
              + " (is the Hadoop connector for '"
              + root.substring(0, root.indexOf(':'))
              + "' on the classpath?)",
          e);
    }
  }

  /** The local model folder; null when the history is on another file system. */
  public Path root() {
    return files.localRoot();
  }

  /** Where the model folder is, local or not. */
  public String location() {
    return files.describe("");
  }

  ModelFiles files() {
    return files;
  }

  /** A new version name for a model trained at {@code epochMs}. */
  public static String versionAt(long epochMs) {
    return VERSION_FORMAT.format(Instant.ofEpochMilli(epochMs));
  }

  /**
   * Writes {@code model} as its version and makes it the latest.
   *
   * @return where its {@code model.json} is
   */
  public String save(ForecastModel model) throws IOException {
    if (!isVersionName(model.version())) {
      throw new IllegalArgumentException("'" + model.version() + "' is not a model version name");
    }
    String dir = model.version() + "/";
    writeParts(dir, model);
    files.write(dir + MODEL_FILE, json().writeValueAsBytes(model));
    // The one statistics file of all jobs that Foresight versions before job files wrote: it is of
    // an older model version (a new one starts from zero), and every driver would read it.
    files.delete(OnlineStats.FILE);
    files.write(LATEST_FILE, (model.version() + "\n").getBytes(StandardCharsets.UTF_8));
    return files.describe(dir + MODEL_FILE);
  }

  /** Writes {@code model}'s parts: each job with its components, and the global rest. */
  private void writeParts(String dir, ForecastModel model) throws IOException {
    String jobs = dir + JOBS_DIR + "/";
    for (Map.Entry<String, JobTemplate> e : model.jobs().entrySet()) {
      Map<String, ComponentModel> components = new TreeMap<>();
      for (String signature : signatures(e.getValue())) {
        ComponentModel c = model.components().get(signature);
        if (c != null) {
          components.put(signature, c);
        }
      }
      files.write(
          jobs + jobFileName(e.getKey()),
          json()
              .writeValueAsBytes(
                  part(model, Map.of(), components, Map.of(e.getKey(), e.getValue()))));
    }
    files.write(
        dir + GLOBAL_FILE,
        json().writeValueAsBytes(part(model, model.targets(), Map.of(), Map.of())));
  }

  /** The components {@code job}'s DAGs name: its newest run's and every other it had. */
  private static Set<String> signatures(JobTemplate job) {
    Set<String> out = new TreeSet<>();
    job.components().forEach(n -> out.add(n.signature()));
    if (job.plans() != null) {
      job.plans().forEach(p -> p.components().forEach(n -> out.add(n.signature())));
    }
    return out;
  }

  private static ForecastModel part(
      ForecastModel m,
      Map<String, TargetModel> targets,
      Map<String, ComponentModel> components,
      Map<String, JobTemplate> jobs) {
    return new ForecastModel(
        m.formatVersion(),
        m.version(),
        m.createdMs(),
        m.trainingData(),
        m.features(),
        m.quantile(),
        m.minRuns(),
        targets,
        components,
        jobs);
  }

  /** The file name of a job's part: a hash of its key, which may hold any character. */
  public static String jobFileName(String jobKey) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(jobKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16) + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A version's model restricted to one job, and how many jobs the whole model knows.
   *
   * @param model the global models, the job (absent when the model does not know it) and its
   *     components
   */
  public record JobPart(ForecastModel model, int jobs) {}

  /**
   * Version {@code version}'s model as far as forecasting {@code jobKey} needs it, read from its
   * parts; null when the version has none (written before models were kept in parts).
   *
   * @throws ModelException when a part is missing, damaged or of another version
   */
  public JobPart loadJob(String version, String jobKey) throws ModelException {
    String dir = checkedVersion(version) + "/";
    String globalFile = dir + GLOBAL_FILE;
    if (!files.isFile(globalFile)) {
      return null;
    }
    ForecastModel global = parse(read(globalFile, version), files.describe(globalFile));
    if (!global.version().equals(version)) {
      throw new ModelException(
          files.describe(globalFile)
              + " is of model version "
              + global.version()
              + ", not "
              + version);
    }
    String jobs = dir + JOBS_DIR;
    int count;
    try {
      count = (int) files.list(jobs).stream().filter(f -> f.endsWith(".json")).count();
    } catch (IOException e) {
      throw new ModelException("Cannot list " + files.describe(jobs) + ": " + e.getMessage(), e);
    }
    String jobFile = jobs + "/" + jobFileName(jobKey);
    ForecastModel part = null;
    if (files.isFile(jobFile)) {
      part = parse(read(jobFile, version), files.describe(jobFile));
      if (!part.version().equals(global.version()) || !part.jobs().containsKey(jobKey)) {
        throw new ModelException(
            files.describe(jobFile)
                + " is not job '"
                + jobKey
                + "' of model version "
                + global.version()
                + "; expected the part that version wrote");
      }
    }
    return new JobPart(
        part(
            global,
            global.targets(),
            part == null ? Map.of() : part.components(),
            part == null ? Map.of() : part.jobs()),
        count);
  }

  /** True when a model has been trained (a {@code LATEST} file exists). */
  public boolean hasModel() {
    return files.isFile(LATEST_FILE);
  }

  /** The version {@code LATEST} names. */
  public String latestVersion() throws ModelException {
    String latest = files.describe(LATEST_FILE);
    try {
      String v = new String(files.read(LATEST_FILE), StandardCharsets.UTF_8).trim();
      if (v.isEmpty()) {
        throw new ModelException(latest + " is empty; expected a model version name");
      }
      return v;
    } catch (NoSuchFileException e) {
      throw new ModelException(
          "No trained model under " + location() + "; run `bin/foresight train` first");
    } catch (IOException e) {
      throw new ModelException("Cannot read " + latest + ": " + e.getMessage(), e);
    }
  }

  /** All stored versions, oldest first. */
  public List<String> versions() throws IOException {
    List<String> out = new ArrayList<>();
    for (String name : files.list("")) {
      if (!name.startsWith(".") && files.isFile(name + "/" + MODEL_FILE)) {
        out.add(name);
      }
    }
    return out;
  }

  /** How many model versions training keeps by default. */
  public static final int DEFAULT_KEEP = 10;

  /**
   * Deletes all but the newest {@code keep} versions, never the one {@code LATEST} names: every
   * training writes a version (model and parts: about 0.4 MB a job of 50 stages), and none is read
   * after the next unless asked for by name ({@code predict --version}).
   *
   * @return the versions deleted, oldest first
   * @throws IOException when a version cannot be deleted (those before it are gone), or when {@code
   *     LATEST} exists but names no version (nothing is deleted)
   */
  public List<String> prune(int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, got " + keep);
    }
    List<String> all = versions();
    String latest = null;
    if (hasModel()) {
      try {
        latest = latestVersion();
      } catch (ModelException e) {
        // the version in use is unknown: deleting any could delete it
        throw new IOException("Not deleting old model versions: " + e.getMessage(), e);
      }
    }
    List<String> deleted = new ArrayList<>();
    for (String v : all.subList(0, Math.max(0, all.size() - keep))) {
      if (v.equals(latest)) {
        continue;
      }
      // the model file first: a version without it is no longer listed, even if the rest stays
      files.delete(v + "/" + MODEL_FILE);
      files.delete(v);
      deleted.add(v);
    }
    return deleted;
  }

  public ForecastModel load(String version) throws ModelException {
    String file = checkedVersion(version) + "/" + MODEL_FILE;
    return parse(read(file, version), files.describe(file));
  }

  /** {@code version}, when it is a version's name (a folder of the model folder). */
  private static String checkedVersion(String version) throws ModelException {
    if (!isVersionName(version)) {
      throw new ModelException("'" + version + "' is not a model version name");
    }
    return version;
  }

  private static boolean isVersionName(String version) {
    return !version.isEmpty()
        && !version.contains("/")
        && !version.contains("\\")
        && !version.contains(":")
        && !version.startsWith(".");
  }

  private byte[] read(String file, String version) throws ModelException {
    try {
      return files.read(file);
    } catch (NoSuchFileException e) {
      throw new ModelException("Model version " + version + " has no " + files.describe(file));
    } catch (IOException e) {
      throw new ModelException("Cannot read " + files.describe(file) + ": " + e.getMessage(), e);
    }
  }

  /** Parses a model file, refusing other format versions and damaged files with a clear message. */
  static ForecastModel parse(byte[] bytes, String what) throws ModelException {
    try {
      OptionalInt format = ModelJson.topLevelInt(bytes, "formatVersion");
      if (format.isEmpty()) {
        throw new ModelException(what + " has no formatVersion; expected a Foresight model file");
      }
      int f = format.getAsInt();
      if (f < ForecastModel.OLDEST_READABLE_FORMAT || f > ForecastModel.FORMAT_VERSION) {
        throw new ModelException(
            what
                + " has model format "
                + f
                + "; this Foresight reads formats "
                + ForecastModel.OLDEST_READABLE_FORMAT
                + " to "
                + ForecastModel.FORMAT_VERSION
                + ". Retrain with `bin/foresight train`");
      }
      ForecastModel model = ModelJson.read(bytes, ForecastModel.class);
      if (model.targets() == null || model.components() == null || model.jobs() == null) {
        throw new ModelException(
            what + " is incomplete: targets, components and jobs are required");
      }
      return model;
    } catch (ModelJson.MismatchException e) {
      String syntax = ModelJson.syntaxError(bytes);
      if (syntax != null) {
        throw new ModelException(
            what + " is not a valid model file (JSON error: " + syntax + ")", e);
      }
      throw new ModelException(what + " is damaged: " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ModelException(
          what + " is not a valid model file (JSON error: " + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new ModelException(what + " cannot be read: " + e.getMessage(), e);
    }
  }

  static ObjectMapper json() {
    return Writer.JSON;
  }
}
