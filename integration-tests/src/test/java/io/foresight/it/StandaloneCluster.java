package io.foresight.it;

import io.foresight.examples.EmbeddedCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster: a Master and a Worker, each its own JVM started from the Maven
 * test classpath (DESIGN-NOTES §7). The Worker's SPARK_HOME is a folder whose jars/ links to that
 * classpath, which is all it needs to launch executors.
 */
final class StandaloneCluster implements AutoCloseable {
  private final ChildJvm master;
  private final ChildJvm worker;
  private final String url;

  private StandaloneCluster(ChildJvm master, ChildJvm worker, String url) {
    this.master = master;
    this.worker = worker;
    this.url = url;
  }

  static StandaloneCluster start(Path dir, int cores, String memory) throws Exception {
    Path home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    String cp = ChildJvm.moduleClasspath();
    int n = 0;
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Files.createSymbolicLink(jars.resolve(n++ + "-" + p.getFileName()), p);
      }
    }
    int port = freePort();
    String url = "spark://127.0.0.1:" + port;
    Map<String, String> env = EmbeddedCluster.environment(home, dir);
    ChildJvm master =
        ChildJvm.start(
            cp,
            List.of("-Xmx256m"),
            "org.apache.spark.deploy.master.Master",
            List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", "0"),
            null,
            env);
    try {
      master.await(l -> l.contains("I have been elected leader"), 60_000);
      ChildJvm worker =
          ChildJvm.start(
              cp,
              List.of("-Xmx256m"),
              "org.apache.spark.deploy.worker.Worker",
              List.of(
                  "--host",
                  "127.0.0.1",
                  "--cores",
                  String.valueOf(cores),
                  "--memory",
                  memory,
                  "--work-dir",
                  Files.createDirectories(dir.resolve("work")).toString(),
                  "--webui-port",
                  "0",
                  url),
              null,
              env);
      worker.await(l -> l.contains("Successfully registered with master"), 60_000);
      return new StandaloneCluster(master, worker, url);
    } catch (Throwable t) {
      master.close();
      throw t;
    }
  }

  String url() {
    return url;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    worker.close();
    master.close();
  }
}
