package io.mps3.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

  @Test
  void theFixedForm_readsAsTheFormatterReadsIt() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      Instant at = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE) * 2L);
      String text = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
      String fixed = text.length() == 28 ? text.substring(0, 5) + "0" + text.substring(5) : text;
      assertThat(HttpDates.parse(fixed)).as(fixed).isEqualTo(at);
    }
  }

  @Test
  void otherForms_goToTheFormatter_andWhatNeitherReadsIsNull() {
    Instant at = Instant.parse("1994-11-06T08:49:37Z");
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(at);
    assertThat(HttpDates.parse("Sun, 6 Nov 1994 08:49:37 GMT")).isEqualTo(at);
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 09:49:37 +0100")).isEqualTo(at);
    assertThat(HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT")).as("wrong day name").isNull();
    assertThat(HttpDates.parse("Sun, 31 Feb 1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nob 1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 25:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 UTC")).isNull();
    assertThat(HttpDates.parse("1994-11-06T08:49:37Z")).isNull();
    assertThat(HttpDates.parse("")).isNull();
  }
}
