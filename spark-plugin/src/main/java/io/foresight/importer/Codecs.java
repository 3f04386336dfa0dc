package io.foresight.importer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.io.CompressionCodec$;

/**
 * Event-log codecs: Spark's own (zstd, lz4, snappy, with Spark's framing, by file extension, as
 * Spark's {@code EventLogFileReader} does), gzip (Databricks' rolled parts) and plain JSON lines. A
 * file without a known extension is recognised by its first bytes.
 */
final class Codecs {
  private static final byte[] ZSTD = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};
  private static final byte[] GZIP = {(byte) 0x1F, (byte) 0x8B};
  private static final byte[] LZ4 = "LZ4Block".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] SNAPPY = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};

  private Codecs() {}

  /** The codec named by a file's extension ({@code .inprogress} ignored), or null. */
  static String byName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".inprogress")) {
      n = n.substring(0, n.length() - ".inprogress".length());
    }
    if (n.endsWith(".zstd") || n.endsWith(".zst")) {
      return "zstd";
    }
    if (n.endsWith(".lz4")) {
      return "lz4";
    }
    if (n.endsWith(".snappy")) {
      return "snappy";
    }
    if (n.endsWith(".gz")) {
      return "gzip";
    }
    return null;
  }

  /** The codec whose magic bytes start {@code head}; "plain" for JSON; null when unknown. */
  static String byContent(byte[] head) {
    if (startsWith(head, ZSTD)) {
      return "zstd";
    }
    if (startsWith(head, GZIP)) {
      return "gzip";
    }
    if (startsWith(head, LZ4)) {
      return "lz4";
    }
    if (startsWith(head, SNAPPY)) {
      return "snappy";
    }
    int i = 0;
    while (i < head.length && Character.isWhitespace(head[i])) {
      i++;
    }
    if (i < head.length && head[i] == '{') {
      return "plain";
    }
    return null;
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length
        && Arrays.equals(Arrays.copyOf(data, prefix.length), prefix);
  }

  /** Decompresses {@code raw} with {@code codec} (null or "plain": as is). */
  static InputStream decode(InputStream raw, String codec) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    if (codec == null || codec.equals("plain")) {
      return in;
    }
    if (codec.equals("gzip")) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return CompressionCodec$.MODULE$
        .createCodec(new SparkConf(false), codec)
        .compressedInputStream(in);
  }

  static String hex(byte[] head, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, head.length); i++) {
      sb.append(String.format("%02x", head[i] & 0xff));
      if (i + 1 < Math.min(n, head.length)) {
        sb.append(' ');
      }
    }
    return sb.toString();
  }
}
