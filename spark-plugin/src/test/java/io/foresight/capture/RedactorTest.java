package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String R = Redactor.REDACTED;

  @Test
  void sparkDefaultKeyRegexRedactsByKeyOrValue() {
    Redactor r = Redactor.from(Map.of());
    Map<String, String> out =
        r.conf(
            Map.of(
                "spark.hadoop.fs.s3a.secret.key", "abc",
                "spark.my.setting", "token=xyz",
                "spark.executor.memory", "4g",
                "spark.ssl.keyPassword", "pw"));
    assertEquals(R, out.get("spark.hadoop.fs.s3a.secret.key"));
    assertEquals(R, out.get("spark.my.setting"));
    assertEquals(R, out.get("spark.ssl.keyPassword"));
    assertEquals("4g", out.get("spark.executor.memory"));
  }

  @Test
  void userKeyRegexReplacesTheDefault() {
    Redactor r = Redactor.from(Map.of("spark.redaction.regex", "(?i)memory"));
    assertEquals(R, r.value("spark.executor.memory", "4g"));
    assertEquals("abc", r.value("spark.my.secret", "abc"));
  }

  @Test
  void credentialPairsInTextAreAlwaysRedacted() {
    Redactor r = Redactor.from(Map.of());
    assertEquals(
        "cannot open jdbc:postgresql://db/x?user=etl&password=" + R + "&ssl=true",
        r.text("cannot open jdbc:postgresql://db/x?user=etl&password=hunter2&ssl=true"));
    assertEquals("token: " + R + " expired", r.text("token: abc.def expired"));
  }

  @Test
  void sqlStringRegexWinsOverTheGenericOne() {
    Redactor r =
        Redactor.from(
            Map.of(
                "spark.redaction.string.regex", "generic-\\d+",
                "spark.sql.redaction.string.regex", "sql-\\d+"));
    assertEquals("a " + R + " generic-1", r.text("a sql-7 generic-1"));
    Redactor generic = Redactor.from(Map.of("spark.redaction.string.regex", "generic-\\d+"));
    assertEquals("a sql-7 " + R, generic.text("a sql-7 generic-1"));
  }

  @Test
  void anInvalidUserRegexRedactsEverythingRatherThanNothing() {
    Redactor r = Redactor.from(Map.of("spark.sql.redaction.string.regex", "(unclosed"));
    assertEquals(R, r.text("select 'secret stuff'"));
  }
}
