package io.foresight.examples;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Spark standalone cluster (one Master and one Worker JVM) started from this JVM's own
 * classpath, no Spark distribution needed (DESIGN-NOTES §7): {@code SPARK_HOME/jars} holds links to
 * the classpath's jars, and the classpath's directories reach executors through {@code
 * spark.executor.extraClassPath} ({@link #executorClassPath()}). Logs go to {@code dir/logs}.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private final Process master;
  private final Process worker;
  private final String url;
  private final String executorClassPath;

  private EmbeddedCluster(Process master, Process worker, String url, String executorClassPath) {
    this.master = master;
    this.worker = worker;
    this.url = url;
    this.executorClassPath = executorClassPath;
  }

  /**
   * Starts a Master and a Worker offering {@code cores} cores and {@code memory} (e.g. 8g), from
   * this JVM's classpath.
   */
  public static EmbeddedCluster start(Path dir, int cores, String memory) throws Exception {
    return start(dir, cores, memory, System.getProperty("java.class.path"));
  }

  /**
   * Starts a Master and a Worker from the classpath {@code cp} (entries separated by the path
   * separator): under a test runner that starts its JVM from a manifest-only jar, the module's real
   * classpath.
   */
  public static EmbeddedCluster start(Path dir, int cores, String memory, String cp)
      throws Exception {
    Path home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Path logs = Files.createDirectories(dir.resolve("logs"));
    List<String> dirs = new ArrayList<>();
    int n = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jars.resolve(n++ + "-" + p.getFileName());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, p);
      } else if (Files.isDirectory(p)) {
        dirs.add(p.toString());
      }
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "spark://127.0.0.1:" + port;
    Map<String, String> env = environment(home, dir);
    Path masterLog = logs.resolve("master.log");
    Process master =
        jvm(
            cp,
            "org.apache.spark.deploy.master.Master",
            List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0"),
            env,
            masterLog);
    try {
      await(master, masterLog, "I have been elected leader");
      Path workerLog = logs.resolve("worker.log");
      Process worker =
          jvm(
              cp,
              "org.apache.spark.deploy.worker.Worker",
              List.of(
                  "--host",
                  "127.0.0.1",
                  "--cores",
                  Integer.toString(cores),
                  "--memory",
                  memory,
                  "--work-dir",
                  Files.createDirectories(dir.resolve("work")).toString(),
                  "--webui-port",
                  "0",
                  url),
              env,
              workerLog);
      try {
        await(worker, workerLog, "Successfully registered with master");
      } catch (Exception e) {
        worker.destroyForcibly();
        throw e;
      }
      return new EmbeddedCluster(master, worker, url, String.join(File.pathSeparator, dirs));
    } catch (Exception e) {
      master.destroyForcibly();
      throw e;
    }
  }

  /**
   * The environment of the Master and Worker JVMs: {@code home} as their SPARK_HOME, loopback, and
   * {@code dir/local} for the Worker's scratch and its executors' (shuffle files, fetched jars),
   * which otherwise go to java.io.tmpdir and outlive a Worker that is stopped.
   */
  private static Map<String, String> environment(Path home, Path dir) throws IOException {
    return Map.of(
        "SPARK_HOME",
        home.toString(),
        "SPARK_SCALA_VERSION",
        "2.13",
        "SPARK_LOCAL_IP",
        "127.0.0.1",
        "SPARK_LOCAL_DIRS",
        Files.createDirectories(dir.resolve("local")).toString());
  }

  private static Process jvm(
      String cp, String main, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(main);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static void await(Process p, Path log, String line) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log)
          && Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .anyMatch(l -> l.contains(line))) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    String tail =
        Files.exists(log)
            ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .skip(Math.max(0, Files.readAllLines(log).size() - 20))
                .collect(Collectors.joining("\n"))
            : "(no log)";
    throw new IllegalStateException(
        "The embedded cluster did not start: no '" + line + "' in " + log + ":\n" + tail);
  }

  /** The master URL, {@code spark://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** This JVM's class directories, for {@code spark.executor.extraClassPath}. */
  public String executorClassPath() {
    return executorClassPath;
  }

  @Override
  public void close() {
    worker.destroy();
    master.destroy();
    try {
      worker.waitFor();
      master.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
