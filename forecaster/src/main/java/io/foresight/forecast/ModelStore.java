package io.foresight.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.history.HistoryLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Model versions under {@code <history>/models/}: one folder per version holding {@code
 * model.json}, and a {@code LATEST} file naming the version predictions use by default. Versions
 * are UTC timestamps ({@code 20261122T161500Z}), so they sort by age.
 *
 * <p>Only local histories (a folder or a {@code file:} URI) hold models today.
 */
public final class ModelStore {
  static final String MODEL_FILE = "model.json";
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

  private final Path root;

  private ModelStore(Path root) {
    this.root = root;
  }

  /**
   * The model folder of the history at {@code historyPath}.
   *
   * @throws ModelException when the history is not local
   */
  public static ModelStore of(String historyPath) throws ModelException {
    HistoryLocation location = HistoryLocation.of(historyPath);
    Path local = location.localFolder();
    if (local == null) {
      throw new ModelException(
          "Models are kept only beside a local history; '"
              + location.root()
              + "' is not a local path");
    }
    return new ModelStore(local.resolve("models"));
  }

  public Path root() {
    return root;
  }

  /** A new version name for a model trained at {@code epochMs}. */
  public static String versionAt(long epochMs) {
    return VERSION_FORMAT.format(Instant.ofEpochMilli(epochMs));
  }

  /** Writes {@code model} as its version and makes it the latest. */
  public Path save(ForecastModel model) throws IOException {
    Path dir = root.resolve(model.version());
    Files.createDirectories(dir);
    Path file = dir.resolve(MODEL_FILE);
    Path tmp = dir.resolve(MODEL_FILE + ".tmp");
    json().writeValue(tmp.toFile(), model);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path latestTmp = root.resolve(LATEST_FILE + ".tmp");
    Files.writeString(latestTmp, model.version() + "\n", StandardCharsets.UTF_8);
    Files.move(
        latestTmp,
        root.resolve(LATEST_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  /** True when a model has been trained (a {@code LATEST} file exists). */
  public boolean hasModel() {
    return Files.isRegularFile(root.resolve(LATEST_FILE));
  }

  /** The version {@code LATEST} names. */
  public String latestVersion() throws ModelException {
    Path latest = root.resolve(LATEST_FILE);
    try {
      String v = Files.readString(latest, StandardCharsets.UTF_8).trim();
      if (v.isEmpty()) {
        throw new ModelException(latest + " is empty; expected a model version name");
      }
      return v;
    } catch (NoSuchFileException e) {
      throw new ModelException(
          "No trained model under " + root + "; run `bin/foresight train` first");
    } catch (IOException e) {
      throw new ModelException("Cannot read " + latest + ": " + e.getMessage(), e);
    }
  }

  /** All stored versions, oldest first. */
  public List<String> versions() throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(p -> Files.isRegularFile(p.resolve(MODEL_FILE)))
          .map(p -> p.getFileName().toString())
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  public ForecastModel load(String version) throws ModelException {
    if (version.contains("/") || version.contains("\\") || version.startsWith(".")) {
      throw new ModelException("'" + version + "' is not a model version name");
    }
    Path file = root.resolve(version).resolve(MODEL_FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ModelException("Model version " + version + " has no " + file);
    } catch (IOException e) {
      throw new ModelException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes, file.toString());
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
