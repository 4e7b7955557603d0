package io.mps3.internal.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A non-base entry is read as its update alone ({@link CausalEntry#parseUpdate}), its files checked
 * without a tree: it must accept exactly the bodies {@link CausalEntry#parse} accepts, with the
 * same update, and reject the others with the same reason, or a reader's state would differ.
 */
class CausalEntryUpdateTest {

  private static final String BODY =
      "{\n  \"files\": {\n    \"b/k\\u00e9 \\\"x\\\"\": {\"version\": \"v1\", \"replication\": \"\","
          + " \"n\": [1, 2.5e3, -0, true, null]},\n    \"b/z\": {\"version\": \"v2\"}\n  },\n"
          + "  \"other\": {\"kept\": [\"\\ud83d\\ude00\"]},\n"
          + "  \"update\": {\"files\": {\"b/k\": null, \"b/y\": {\"version\": \"v3\"}}}\n}";

  private static void same(String text) {
    same(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void same(byte[] body) {
    Parsed<ObjectNode> whole = CausalEntry.parse("m@e", body).then(e -> Parsed.valid(e.update()));
    String shown = new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1);
    // Jackson's limit messages count what its buffers held at the time: numbers left out.
    assertThat(text(CausalEntry.parseUpdate("m@e", body))).as("%s", shown).isEqualTo(text(whole));
  }

  private static String text(Parsed<ObjectNode> parsed) {
    return parsed instanceof Parsed.Valid<ObjectNode> valid
        ? "valid " + valid.value()
        : parsed.toString().replaceAll("[0-9]+", "#");
  }

  @Test
  void acceptsAndRejectsWhatTheWholeParseDoes() {
    List<String> cases = new ArrayList<>();
    cases.add(BODY);
    cases.add("{\"files\": {}}");
    cases.add("{\"update\": null, \"files\": {\"a/b\": {}}}");
    cases.add("{}");
    cases.add("");
    cases.add("  ");
    cases.add("[]");
    cases.add("\"str\"");
    cases.add("{\"files\": {}} {}");
    cases.add("{\"files\": {}} x");
    cases.add("{\"files\": \"no\", \"update\": {}}");
    cases.add("{\"files\": {}, \"files\": \"no\"}");
    cases.add("{\"files\": \"no\", \"files\": {}}");
    cases.add("{\"update\": {\"files\": 1}, \"update\": {}}");
    cases.add("{\"update\": {}, \"update\": {\"files\": 1}}");
    cases.add("{\"update\": [], \"files\": {}}");
    cases.add("{\"update\": {\"files\": \"x\"}}");
    cases.add("{\"update\": {\"files\": null}}");
    cases.add("{\"files\": {\"a\": \"bad \\q escape\"}}");
    cases.add("{\"files\": {\"a\": \"raw \u0001 control\"}}");
    cases.add("{\"files\": {\"a\": 1" + "0".repeat(1200) + "}}");
    cases.add("{\"files\": {\"a\": 0." + "1".repeat(1200) + "}}");
    cases.add("{\"files\": {\"a\": " + "[".repeat(1200) + "]".repeat(1200) + "}}");
    cases.add("{\"files\": {\"a\": 01}}");
    // a number no BigDecimal holds (its exponent is past an int): the whole parse refuses it
    cases.add("{\"files\": {\"junk\": 1e9999999999}}");
    cases.add("{\"files\": {\"a\": {\"n\": [2.5e-9999999999]}}}");
    cases.add("{\"files\": {\"a\": 1e400, \"b\": -1.5E+308}}");
    cases.add("{\"files\": {\"a\": NaN}}");
    cases.add("{\"files\": {\"a\": [1,]}}");
    cases.add("{\"files\": {\"" + "n".repeat(60_000) + "\": 1}}");
    for (String text : cases) {
      same(text);
    }
    byte[] badUtf8 = "{\"files\": {\"a\": \"xx\"}}".getBytes(StandardCharsets.UTF_8);
    badUtf8[15] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    same(badUtf8);
    badUtf8[15] = (byte) 0xFF;
    same(badUtf8);
  }

  @Test
  void randomDamage_givesTheSameAnswer() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] alphabet = "{}[]\":,\\ 0e-.nulltrue\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    Random random = new Random(13);
    int valid = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] damaged = body.clone();
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        damaged[random.nextInt(damaged.length)] = alphabet[random.nextInt(alphabet.length)];
      }
      if (random.nextInt(10) == 0) {
        damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
      }
      same(damaged);
      if (CausalEntry.parse("m@e", damaged) instanceof Parsed.Valid<?>) {
        valid++;
      }
    }
    assertThat(valid).as("some damaged bodies are still entries").isBetween(40, 1_960);
  }
}
