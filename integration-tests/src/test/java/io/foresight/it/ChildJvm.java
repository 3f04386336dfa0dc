package io.foresight.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM started from the test classpath, with its output lines readable as they come. */
final class ChildJvm implements AutoCloseable {
  static final List<String> SPARK_JVM_OPTIONS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                  synchronized (all) {
                    all.add(line);
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Every entry of the test classpath (target/test-classpath.txt plus test classes). */
  static List<String> testClasspath() throws IOException {
    Path file = Path.of("target/test-classpath.txt").toAbsolutePath();
    List<String> cp = new ArrayList<>();
    cp.add(Path.of("target/test-classes").toAbsolutePath().toString());
    cp.addAll(Arrays.asList(Files.readString(file).trim().split(java.io.File.pathSeparator)));
    return cp;
  }

  /** The test classpath without the shaded bundle (whose classes duplicate the modules). */
  static String moduleClasspath() throws IOException {
    return String.join(
        java.io.File.pathSeparator,
        testClasspath().stream().filter(e -> !e.endsWith("-bundle.jar")).toList());
  }

  static ChildJvm start(String classpath, List<String> jvmOptions, String main, List<String> args)
      throws IOException {
    return start(classpath, jvmOptions, main, args, null);
  }

  static ChildJvm start(
      String classpath, List<String> jvmOptions, String main, List<String> args, Path log)
      throws IOException {
    return start(classpath, jvmOptions, main, args, log, java.util.Map.of());
  }

  static ChildJvm start(
      String classpath,
      List<String> jvmOptions,
      String main,
      List<String> args,
      Path log,
      java.util.Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.addAll(SPARK_JVM_OPTIONS);
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(main);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(log == null);
    if (log != null) {
      pb.redirectError(log.toFile());
    }
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return new ChildJvm(pb.start());
  }

  /** Waits for a line matching {@code p}; fails with the output so far when none comes. */
  String await(Predicate<String> p, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && p.test(line)) {
        return line;
      }
      if (line == null && !process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("no expected output line; the child printed:\n" + output());
  }

  int waitFor(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not finish in " + timeoutMs + " ms:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }

  List<String> linesStartingWith(String prefix) {
    synchronized (all) {
      return all.stream().filter(l -> l.startsWith(prefix)).toList();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
