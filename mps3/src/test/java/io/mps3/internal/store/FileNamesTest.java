package io.mps3.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void encode_keepsReadableKeysReadable() {
    assertThat(FileNames.encode("manifest.json@2bnk2kep2_862_vs"))
        .containsExactly("manifest.json@2bnk2kep2_862_vs");
    assertThat(FileNames.encode("users/42")).containsExactly("users%2F42");
    assertThat(FileNames.encode("Hello")).containsExactly("%48ello");
  }

  @Test
  void encode_neverProducesTraversalHiddenOrDeviceNames() {
    assertThat(FileNames.encode(".")).containsExactly("%2E");
    assertThat(FileNames.encode("..")).containsExactly("%2E%2E");
    assertThat(FileNames.encode("../../etc/passwd")).containsExactly("%2E.%2F..%2Fetc%2Fpasswd");
    assertThat(FileNames.encode(".hidden")).containsExactly("%2Ehidden");
    assertThat(FileNames.encode("dot.")).containsExactly("dot%2E");
    assertThat(FileNames.encode("con")).containsExactly("%63on");
    assertThat(FileNames.encode("nul.txt")).containsExactly("%6Eul.txt");
    assertThat(FileNames.encode("console")).containsExactly("console");
  }

  @Test
  void encode_keysThatDifferOnlyByCase_getNamesThatDifferIgnoringCase() {
    Set<String> folded = new HashSet<>();
    for (String key : List.of("readme", "README", "ReadMe", "rEADME")) {
      assertThat(folded.add(String.join("/", FileNames.encode(key)).toLowerCase(Locale.ROOT)))
          .as("case-folded name of %s is unique", key)
          .isTrue();
    }
  }

  @Test
  void encode_splitsLongNamesIntoShortSegments() {
    String key = "é".repeat(512); // 1024 UTF-8 bytes, 3072 escaped characters
    List<String> segments = FileNames.encode(key);
    assertThat(segments).hasSizeGreaterThan(1);
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      assertThat(segment.length()).isLessThanOrEqualTo(FileNames.MAX_SEGMENT);
      assertThat(segment.endsWith("~")).isEqualTo(i < segments.size() - 1);
    }
    assertThat(FileNames.decode(segments)).isEqualTo(key);
  }

  @Test
  void decodePartial_ofTheDirectoriesOfALongName_isAPrefixOfItsKey() {
    String key = "p/" + "é€x".repeat(300);
    List<String> segments = FileNames.encode(key);
    for (int n = 1; n < segments.size(); n++) {
      String partial = FileNames.decodePartial(segments.subList(0, n));
      assertThat(partial).isNotNull().isNotEmpty();
      assertThat(key).startsWith(partial);
    }
    assertThat(FileNames.decodePartial(List.of("no-mark"))).isNull();
  }

  @Test
  void decode_isTheInverseOfEncode_forRandomKeys() {
    Random random = new Random(7);
    for (int n = 0; n < 5000; n++) {
      String key = randomKey(random);
      assertThat(FileNames.decode(FileNames.encode(key))).as("key %s", key).isEqualTo(key);
    }
  }

  @Test
  void decode_rejectsNamesThatAreNotCanonical() {
    assertThat(FileNames.decode(List.of("%61"))).isNull(); // "a" is stored as "a"
    assertThat(FileNames.decode(List.of("A"))).isNull();
    assertThat(FileNames.decode(List.of("bad%zz"))).isNull();
    assertThat(FileNames.decode(List.of("%C3"))).isNull(); // truncated UTF-8
    assertThat(FileNames.decode(List.of("dir", "file"))).isNull(); // not a segment directory
    assertThat(FileNames.decode(List.of(""))).isNull();
  }

  private static String randomKey(Random random) {
    int length = 1 + random.nextInt(40);
    StringBuilder key = new StringBuilder();
    while (key.length() < length) {
      int kind = random.nextInt(4);
      int cp =
          kind == 0
              ? 0x20 + random.nextInt(0x5f)
              : kind == 1
                  ? random.nextInt(0x20)
                  : kind == 2 ? 0xa0 + random.nextInt(0xd000) : 0x10000 + random.nextInt(0x1000);
      key.appendCodePoint(cp);
    }
    String s = key.toString();
    return s.getBytes(StandardCharsets.UTF_8).length <= 1024 ? s : s.substring(0, 10);
  }
}
