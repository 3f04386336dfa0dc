package io.foresight.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in this JVM, as {@code bin/foresight} would, capturing what it prints. */
final class CliCapture {
  private CliCapture() {}

  /** {@link ForesightCli#run} with {@code out} and {@code err} emptied first; its exit code. */
  static int run(String[] args, ByteArrayOutputStream out, ByteArrayOutputStream err)
      throws Exception {
    out.reset();
    err.reset();
    return ForesightCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
