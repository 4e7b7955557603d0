package io.mps3.testkit.hostile;

import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.strict.StrictLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generates hostile names and bodies from a seed: random and mutated entry names, cut, bit-flipped
 * and retyped bodies, huge numbers, deep nesting, non-UTF-8 bytes and (rarely) 10 MB bodies.
 * Deterministic for a seed, so a failing try can be replayed.
 */
final class HostileObjects {

  private static final String BASE32 = "0123456789abcdefghijklmnopqrstuv";
  private static final String NOT_BASE32 = "wxyz";

  private final Random random;
  private final String manifest;
  private final String keys;
  private final boolean bigBodies;

  HostileObjects(long seed, String manifest, String keys, boolean bigBodies) {
    this.random = new Random(seed);
    this.manifest = manifest;
    this.keys = keys;
    this.bigBodies = bigBodies;
  }

  /** 1 to 4 objects for a causal manifest, whose valid entry {@code template} exists. */
  List<HostileObject> causal(String bucket, byte[] template) {
    List<HostileObject> out = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      long time = System.currentTimeMillis() - random.nextInt(3000);
      String valid = new CausalLayout(manifest).entryKey(time, "h" + random.nextInt(1000), i);
      switch (random.nextInt(4)) {
        case 0 -> out.add(new HostileObject(badEntryName(valid), body(template), true));
        case 1 -> out.add(new HostileObject(valid, garbageBody(), true));
        case 2 -> out.add(new HostileObject(valid, mutate(template), false));
        default ->
            out.add(
                new HostileObject(
                    keys + "k" + random.nextInt(3) + "@" + name(), body(template), true));
      }
    }
    return out;
  }

  /** 1 to 4 objects for a strict manifest at slot {@code tip}. */
  List<HostileObject> strict(long tip, byte[] template) {
    StrictLayout layout = new StrictLayout(manifest);
    List<HostileObject> out = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(5)) {
        case 0 -> out.add(new HostileObject(layout.logKey(tip + 1 + i), garbageBody(), true));
        case 1 -> out.add(new HostileObject(layout.logPrefix() + name(), body(template), true));
        case 2 -> out.add(new HostileObject(layout.headKey(), garbageBody(), true));
        case 3 ->
            out.add(
                new HostileObject(
                    layout.checkpointKey(tip + random.nextInt(3)), garbageBody(), true));
        default -> out.add(new HostileObject(layout.logKey(tip + 1 + i), mutate(template), false));
      }
    }
    return out;
  }

  /** A name that no entry has: an entry name with a digit outside base 32, cut, or grown. */
  private String badEntryName(String valid) {
    int at = valid.lastIndexOf('@') + 1;
    char[] chars = valid.toCharArray();
    switch (random.nextInt(4)) {
      case 0 -> {
        chars[at + random.nextInt(9)] = NOT_BASE32.charAt(random.nextInt(4)); // issue #16
        return new String(chars);
      }
      case 1 -> {
        return valid.substring(0, valid.length() - 1 - random.nextInt(3)); // counter cut
      }
      case 2 -> {
        return valid + "_" + name(); // a fourth part
      }
      default -> {
        // ten or more time digits: beyond 2^42 (or, with leading zeros, listed before now)
        return valid.substring(0, at) + "1" + valid.substring(at);
      }
    }
  }

  /** A random name: printable, non-ASCII, or control characters; at most 200 characters. */
  private String name() {
    int length = 1 + random.nextInt(random.nextBoolean() ? 12 : 200);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        out.append((char) (0x21 + random.nextInt(0x5e)));
      } else if (kind < 8) {
        out.append(BASE32.charAt(random.nextInt(32)));
      } else if (kind < 9) {
        out.append((char) (0xa0 + random.nextInt(0x2000)));
      } else {
        out.append('_');
      }
    }
    // Stores differ on "." and ".." segments and "//" (see S3-SERVERS.md): not this test's point.
    return out.toString().replace("/", "_").replace(".", "-");
  }

  private byte[] body(byte[] template) {
    return random.nextBoolean() ? template : garbageBody();
  }

  /** A body that is, by construction, no causal entry, strict entry, checkpoint or head. */
  byte[] garbageBody() {
    return switch (random.nextInt(10)) {
      case 0 -> new byte[0];
      case 1 -> bytes("[" + "[".repeat(random.nextInt(100_000)));
      case 2 -> bytes("{\"files\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001));
      case 3 ->
          bytes("{\"files\": 1" + "0".repeat(random.nextInt(5000)) + ", \"seq\": 1e99999999}");
      case 4 -> nonUtf8();
      case 5 ->
          bytes(
              List.of("\"files\"", "[]", "1e400", "true", "null", "-0", "\"\\ud800\"")
                  .get(random.nextInt(7)));
      case 6 -> bytes("{\"files\": [], \"update\": {\"files\": 3}, \"checkpoint\": \"x\"}");
      case 7 -> bytes("{\"update\": {\"files\": \"everything\"}, \"seq\": -1, \"checkpoint\": -5}");
      case 8 -> bigBodies && random.nextInt(10) == 0 ? tenMegabytes() : randomBytes(200);
      default -> bytes("{\"files\": 7, \"checkpoint\": 99999999999999999999999999}");
    };
  }

  /** A valid body cut, bit-flipped, or with a value of the wrong type: may still be valid. */
  private byte[] mutate(byte[] template) {
    byte[] out = template.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        return Arrays.copyOf(out, random.nextInt(out.length));
      }
      case 1 -> {
        int at = random.nextInt(out.length);
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      default -> {
        String s = new String(out, StandardCharsets.UTF_8);
        String[] types = {"1", "\"x\"", "[]", "null", "true", "1e999", "{}"};
        return bytes(
            s.replaceFirst("\\{\"version\"", types[random.nextInt(types.length)] + ",{\"v\""));
      }
    }
  }

  private byte[] nonUtf8() {
    byte[] out = bytes("{\"files\":{\"x\":\"\u0000\"}}");
    out[out.length - 4] = (byte) (0x80 | random.nextInt(0x40)); // a continuation byte alone
    return out;
  }

  private byte[] randomBytes(int max) {
    byte[] out = new byte[1 + random.nextInt(max)];
    random.nextBytes(out);
    return out;
  }

  /** A 10 MB JSON object: a reader must skip it (entries) or read it whole (content). */
  private static byte[] tenMegabytes() {
    byte[] out = new byte[10 << 20];
    Arrays.fill(out, (byte) 'a');
    byte[] head = bytes("{\"files\":\"");
    System.arraycopy(head, 0, out, 0, head.length);
    out[out.length - 2] = '"';
    out[out.length - 1] = '}';
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
