package io.foresight.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Finds event logs under the paths given to {@code import}: files and directories, recursively.
 *
 * <ul>
 *   <li>a file: one log, {@code .inprogress} or not, by extension or by its first bytes;
 *   <li>a directory {@code eventlog_v2_*}: a rolling log, its {@code events_<N>_*} parts in index
 *       order ({@code appstatus_*} ignored);
 *   <li>a directory holding {@code eventlog} and/or {@code eventlog-YYYY-MM-DD--HH-MM[.gz]}:
 *       Databricks' rolled log, the dated parts in time order, then {@code eventlog};
 *   <li>a {@code .zip} archive: any of these inside it ({@code __MACOSX} and hidden files ignored);
 *   <li>any other directory: searched recursively.
 * </ul>
 *
 * Anything that is not an event log is refused with a one-line reason. Paths are local, or URIs of
 * a Hadoop file system (where Spark's {@code spark.eventLog.dir} often is), listed and read through
 * its {@code FileSystem}; a zip archive is read from the local disk only.
 */
final class LogDiscovery {
  private static final Pattern ROLLING_PART = Pattern.compile("events_(\\d+)_.+");
  private static final Pattern DATABRICKS_PART =
      Pattern.compile("eventlog(-(\\d{4}-\\d{2}-\\d{2}--\\d{2}-\\d{2}))?(\\.gz)?");

  /** A path that was looked at and is not an importable log. */
  record Refusal(String path, String reason) {}

  record Found(List<LogSource> logs, List<Refusal> refused) {}

  private final List<LogSource> logs = new ArrayList<>();
  private final List<Refusal> refused = new ArrayList<>();

  static Found discover(List<Path> inputs) {
    LogDiscovery d = new LogDiscovery();
    for (Path p : inputs) {
      d.visit(new LocalNode(p.toAbsolutePath().normalize()), true);
    }
    return new Found(d.logs, d.refused);
  }

  /**
   * As {@link #discover(List)}, for paths given as strings: a URI with a scheme other than {@code
   * file} ({@code hdfs://nn/spark-logs}, {@code s3a://bucket/events}, where Spark's {@code
   * spark.eventLog.dir} often is) is read through Hadoop's {@code FileSystem} with {@code conf};
   * anything else is a local path.
   */
  static Found discover(List<String> inputs, Configuration conf) {
    LogDiscovery d = new LogDiscovery();
    for (String input : inputs) {
      if (!REMOTE.matcher(input).find()) {
        Path local =
            input.regionMatches(true, 0, "file:", 0, 5)
                ? Path.of(new org.apache.hadoop.fs.Path(input).toUri().getPath())
                : Path.of(input);
        d.visit(new LocalNode(local.toAbsolutePath().normalize()), true);
        continue;
      }
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(input);
      try {
        FileSystem fs = p.getFileSystem(conf);
        d.visit(new HadoopNode(fs, fs.getFileStatus(p)), true);
      } catch (java.io.FileNotFoundException e) {
        d.refused.add(new Refusal(input, "no such file or directory"));
      } catch (IOException | RuntimeException e) {
        d.refused.add(
            new Refusal(
                input,
                "cannot reach it: "
                    + e
                    + " (is the Hadoop connector for '"
                    + p.toUri().getScheme()
                    + "' on the classpath and configured?)"));
      }
    }
    return new Found(d.logs, d.refused);
  }

  /** {@code hdfs://…}, {@code s3a://…}: a scheme, not {@code file:}, and not a drive letter. */
  private static final Pattern REMOTE =
      Pattern.compile("^(?!file:)[a-zA-Z][a-zA-Z0-9+.-]+:/", Pattern.CASE_INSENSITIVE);

  /** A file or directory where logs are looked for: on the local disk, or a Hadoop file system. */
  private interface Node {
    /** What the log is called in the summary and in {@code source_path}. */
    String path();

    String name();

    boolean exists();

    boolean readable();

    boolean isDirectory();

    /** The entries of a directory, sorted by name. */
    List<Node> children() throws IOException;

    long size();

    InputStream open() throws IOException;

    /** The file on the local disk, or null on another file system. */
    Path local();
  }

  private record LocalNode(Path p) implements Node {
    @Override
    public String path() {
      return p.toString();
    }

    @Override
    public String name() {
      return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    @Override
    public boolean exists() {
      return Files.exists(p);
    }

    @Override
    public boolean readable() {
      return Files.isReadable(p);
    }

    @Override
    public boolean isDirectory() {
      return Files.isDirectory(p);
    }

    @Override
    public List<Node> children() throws IOException {
      try (Stream<Path> s = Files.list(p)) {
        return s.sorted().map(c -> (Node) new LocalNode(c)).toList();
      }
    }

    @Override
    public long size() {
      try {
        return Files.size(p);
      } catch (IOException e) {
        return 0;
      }
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(p);
    }

    @Override
    public Path local() {
      return p;
    }
  }

  /** An entry as its file system listed it (one call per directory, none per file). */
  private record HadoopNode(FileSystem fs, FileStatus status) implements Node {
    @Override
    public String path() {
      return status.getPath().toString();
    }

    @Override
    public String name() {
      return status.getPath().getName();
    }

    @Override
    public boolean exists() {
      return true;
    }

    @Override
    public boolean readable() {
      return true; // said when it is opened
    }

    @Override
    public boolean isDirectory() {
      return status.isDirectory();
    }

    @Override
    public List<Node> children() throws IOException {
      return java.util.Arrays.stream(fs.listStatus(status.getPath()))
          .sorted(Comparator.comparing(c -> c.getPath().getName()))
          .map(c -> (Node) new HadoopNode(fs, c))
          .toList();
    }

    @Override
    public long size() {
      return status.getLen();
    }

    @Override
    public InputStream open() throws IOException {
      return fs.open(status.getPath());
    }

    @Override
    public Path local() {
      return null;
    }
  }

  private void visit(Node p, boolean explicit) {
    String name = p.name();
    if (!p.exists()) {
      refused.add(new Refusal(p.path(), "no such file or directory"));
    } else if (!p.readable()) {
      refused.add(new Refusal(p.path(), "not readable"));
    } else if (p.isDirectory()) {
      directory(p, name);
    } else if (!explicit && (name.startsWith(".") || name.startsWith("appstatus_"))) {
      // hidden files and rolling-log status markers are not logs
    } else if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
      if (p.local() == null) {
        refused.add(
            new Refusal(
                p.path(),
                "a zip archive is read from the local disk only; copy it here, or import the"
                    + " logs it was made of"));
      } else {
        zip(p.local());
      }
    } else {
      single(p.path(), hint(name), part(p));
    }
  }

  private static LogSource.Part part(Node file) {
    return new LogSource.Part(file.name(), Codecs.byName(file.name()), file.size(), file::open);
  }

  private void directory(Node dir, String name) {
    List<Node> children;
    try {
      children = dir.children();
    } catch (IOException e) {
      refused.add(new Refusal(dir.path(), "cannot list the directory: " + e.getMessage()));
      return;
    }
    if (name.startsWith("eventlog_v2_")) {
      List<LogSource.Part> parts = new ArrayList<>();
      for (Node c : children) {
        if (ROLLING_PART.matcher(c.name()).matches() && !c.isDirectory()) {
          parts.add(part(c));
        }
      }
      parts.sort(Comparator.comparingLong(pt -> rollingIndex(pt.name())));
      add(dir.path(), name.substring("eventlog_v2_".length()), parts);
      return;
    }
    List<Node> databricks =
        children.stream().filter(c -> DATABRICKS_PART.matcher(c.name()).matches()).toList();
    if (!databricks.isEmpty()) {
      List<LogSource.Part> parts = new ArrayList<>();
      for (Node c : databricks) {
        parts.add(part(c));
      }
      parts.sort(Comparator.comparing(pt -> databricksOrder(pt.name())));
      add(dir.path(), name, parts);
      for (Node c : children) {
        if (!databricks.contains(c)) {
          visit(c, false);
        }
      }
      return;
    }
    for (Node c : children) {
      visit(c, false);
    }
  }

  private void zip(Path zipPath) {
    Map<String, List<ZipEntry>> byDir = new LinkedHashMap<>();
    try (ZipFile zf = new ZipFile(zipPath.toFile())) {
      zf.stream()
          .filter(e -> !e.isDirectory())
          .filter(e -> !e.getName().startsWith("__MACOSX/"))
          .filter(e -> !leaf(e.getName()).startsWith("."))
          .forEach(e -> byDir.computeIfAbsent(parent(e.getName()), k -> new ArrayList<>()).add(e));
    } catch (IOException e) {
      refused.add(new Refusal(zipPath.toString(), "not a readable zip archive: " + e.getMessage()));
      return;
    }
    for (Map.Entry<String, List<ZipEntry>> group : byDir.entrySet()) {
      String dir = group.getKey();
      List<LogSource.Part> dbParts = new ArrayList<>();
      List<LogSource.Part> rolling = new ArrayList<>();
      for (ZipEntry e : group.getValue()) {
        String leaf = leaf(e.getName());
        LogSource.Part part = zipPart(zipPath, e);
        String where = zipPath + "!/" + e.getName();
        if (DATABRICKS_PART.matcher(leaf).matches()) {
          dbParts.add(part);
        } else if (leaf(dir).startsWith("eventlog_v2_") && ROLLING_PART.matcher(leaf).matches()) {
          rolling.add(part);
        } else if (!leaf.startsWith("appstatus_")) {
          single(where, hint(leaf), part);
        }
      }
      String groupPath = zipPath + "!/" + dir;
      if (!dbParts.isEmpty()) {
        dbParts.sort(Comparator.comparing(pt -> databricksOrder(pt.name())));
        add(groupPath, dir.isEmpty() ? hint(zipPath.getFileName().toString()) : leaf(dir), dbParts);
      }
      if (!rolling.isEmpty()) {
        rolling.sort(Comparator.comparingLong(pt -> rollingIndex(pt.name())));
        add(groupPath, leaf(dir).substring("eventlog_v2_".length()), rolling);
      }
    }
  }

  private static LogSource.Part zipPart(Path zipPath, ZipEntry entry) {
    String leaf = leaf(entry.getName());
    return new LogSource.Part(
        leaf,
        Codecs.byName(leaf),
        entry.getSize(),
        () -> {
          ZipFile zf = new ZipFile(zipPath.toFile());
          InputStream in = zf.getInputStream(zf.getEntry(entry.getName()));
          return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
              try {
                super.close();
              } finally {
                zf.close();
              }
            }
          };
        });
  }

  private void single(String path, String hint, LogSource.Part part) {
    add(path, hint, List.of(part));
  }

  /** Adds a log after checking that its first part is a readable event log. */
  private void add(String path, String hint, List<LogSource.Part> parts) {
    if (parts.isEmpty()) {
      refused.add(new Refusal(path, "a rolling event-log directory without events_<N>_* parts"));
      return;
    }
    LogSource.Part first = parts.get(0);
    String problem = sniff(first);
    if (problem != null) {
      refused.add(new Refusal(path, problem));
      return;
    }
    List<LogSource.Part> resolved = new ArrayList<>();
    for (LogSource.Part p : parts) {
      resolved.add(
          p.codec() != null ? p : new LogSource.Part(p.name(), detect(p), p.size(), p.opener()));
    }
    logs.add(new LogSource(path, hint, resolved));
  }

  private static String detect(LogSource.Part p) {
    try (InputStream in = p.opener().open()) {
      String c = Codecs.byContent(in.readNBytes(16));
      return c == null ? "plain" : c;
    } catch (IOException e) {
      return "plain";
    }
  }

  /** Null when {@code part} starts like an event log; else why not. */
  private static String sniff(LogSource.Part part) {
    byte[] head;
    try (InputStream in = part.opener().open()) {
      head = in.readNBytes(16);
    } catch (IOException e) {
      return "cannot read: " + e.getMessage();
    }
    if (head.length == 0) {
      return "empty file";
    }
    String codec = part.codec() != null ? part.codec() : Codecs.byContent(head);
    if (codec == null) {
      return "not a Spark event log: starts with bytes "
          + Codecs.hex(head, 8)
          + " (expected JSON lines, or zstd, lz4, snappy or gzip data)";
    }
    try (InputStream in = Codecs.decode(part.opener().open(), codec);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      char[] buf = new char[64];
      int n = r.read(buf);
      String start = n <= 0 ? "" : new String(buf, 0, n).stripLeading();
      if (!start.startsWith("{\"Event\"")) {
        return "not a Spark event log: the first line is not a listener event (expected"
            + " {\"Event\":...})";
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "cannot decompress as " + codec + ": " + e.getMessage();
    }
  }

  private static long rollingIndex(String name) {
    Matcher m = ROLLING_PART.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  /** Dated parts sort by their time; the current {@code eventlog} comes last. */
  private static String databricksOrder(String name) {
    Matcher m = DATABRICKS_PART.matcher(name);
    return m.matches() && m.group(2) != null ? m.group(2) : "9999";
  }

  /** An application id guessed from a log's file name. */
  static String hint(String fileName) {
    String n = fileName;
    if (n.endsWith(".inprogress")) {
      n = n.substring(0, n.length() - ".inprogress".length());
    }
    int dot = n.lastIndexOf('.');
    if (dot > 0 && Codecs.byName(n) != null) {
      n = n.substring(0, dot);
    }
    return n;
  }

  private static String leaf(String name) {
    String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    int i = n.lastIndexOf('/');
    return i < 0 ? n : n.substring(i + 1);
  }

  private static String parent(String name) {
    int i = name.lastIndexOf('/');
    return i < 0 ? "" : name.substring(0, i);
  }
}
