package io.mps3.internal.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalLayout.EntryKey;
import io.mps3.spi.ObjectMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A window claim (design 0024): the writer's check that replaying its window changes nothing, the
 * digest that binds the claim to the exact entries a reader lists, and the claim's binding to the
 * entry that makes it.
 */
class WindowClaimTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CausalLayout LAYOUT = new CausalLayout("m");

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /**
   * state | window updates, oldest first, separated by ; | own update | replaying changes nothing
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the writer's state already holds what its window wrote
        "{'files':{'a':{'version':'1'}}}|{'files':{'a':{'version':'1'}}}|{'files':{'b':{'version':'2'}}}|true",
        // a later write the window does not hold: replaying would take it back
        "{'files':{'a':{'version':'2'}}}|{'files':{'a':{'version':'1'}}}|{'files':{'b':{'version':'2'}}}|false",
        // the entry's own update wins over the window's
        "{'files':{'a':{'version':'2'}}}|{'files':{'a':{'version':'1'}}}|{'files':{'a':{'version':'3'}}}|true",
        // a key the window wrote and the state lacks, or deleted and the state has
        "{'files':{}}|{'files':{'a':{'version':'1'}}}|{'files':{}}|false",
        "{'files':{'a':{'version':'1'}}}|{'files':{'a':null}}|{'files':{}}|false",
        "{'files':{}}|{'files':{'a':{'version':'1'}}};{'files':{'a':null}}|{'files':{}}|true",
        // merge patches merge: a field the window adds, present or not in the state
        "{'files':{'a':{'version':'1','x':1}}}|{'files':{'a':{'x':1}}}|{'files':{}}|true",
        "{'files':{'a':{'version':'1'}}}|{'files':{'a':{'x':1}}}|{'files':{}}|false",
        // several updates: only the last writer of each key counts
        "{'files':{'a':{'version':'2'},'b':{'version':'1'}}}|{'files':{'a':{'version':'1'}}};{'files':{'a':{'version':'2'},'b':{'version':'1'}}}|{'files':{}}|true",
        "{'files':{'a':{'version':'1'}}}|{'files':{'a':{'version':'2'}}};{'files':{'a':{'version':'1'}}}|{'files':{}}|true",
        // an update that replaces files whole, and fields beside files
        "{'files':{'a':{'version':'1'}}}|{'files':null}|{'files':{}}|false",
        "{'files':{},'other':1}|{'other':1}|{'files':{}}|true",
        "{'files':{},'other':2}|{'other':1}|{'files':{}}|false",
      })
  void changesNothing_isTheFullReplayComparedWithTheOwnUpdateAlone(
      String state, String window, String own, boolean expected) {
    List<ObjectNode> updates = new ArrayList<>();
    for (String update : window.split(";", -1)) {
      updates.add(json(update));
    }
    ObjectNode before = json(state);
    assertThat(WindowClaim.changesNothing(before, updates, json(own))).isEqualTo(expected);
    // and it agrees with replaying on the whole state
    ObjectNode full = before.deepCopy();
    updates.forEach(u -> JsonMergePatch.applyInPlace(full, u));
    JsonMergePatch.applyInPlace(full, json(own));
    ObjectNode ownOnly = before.deepCopy();
    JsonMergePatch.applyInPlace(ownOnly, json(own));
    assertThat(full.equals(ownOnly)).isEqualTo(expected);
    assertThat(before).as("the state is not modified").isEqualTo(json(state));
  }

  private static ListedEntry listed(long time, String session, String etag) {
    String key = LAYOUT.entryKey(time, session, 0);
    EntryKey parsed = ((Parsed.Valid<EntryKey>) LAYOUT.parseEntryKey(key)).value();
    return new ListedEntry(
        parsed, new ObjectMetadata(key, etag, Instant.ofEpochMilli(time), 9, null));
  }

  @Test
  void window_isTheEntriesAfterTheBaseLessThanTheWindowOlder() {
    List<ListedEntry> listed =
        List.of(
            listed(20_000, "s", "e4"),
            listed(16_000, "s", "e3"),
            listed(15_001, "s", "e2"),
            listed(15_000, "s", "e1"),
            listed(9_000, "s", "e0"));
    assertThat(WindowClaim.window(listed, 0, 5_000)).containsExactly(listed.get(1), listed.get(2));
    assertThat(WindowClaim.window(listed, 4, 5_000)).isEmpty();
  }

  @Test
  void aClaim_coversOnlyTheEntriesItWasMadeOn_andOnlyForItsOwnEntry() {
    ListedEntry base = listed(20_000, "s", "b");
    List<ListedEntry> window = List.of(listed(19_000, "s", "e2"), listed(18_000, "t", "e1"));
    String key = base.key().objectKey();
    WindowClaim claim = new WindowClaim(key, 2, WindowClaim.digest(window));
    assertThat(claim.covers(key, window)).isTrue();
    // another entry carrying a copy of it (the JavaScript client copies unknown fields forward)
    assertThat(claim.covers(listed(21_000, "js", "x").key().objectKey(), window)).isFalse();
    // an entry more, one fewer, another ETag (the object was replaced), another order
    assertThat(claim.covers(key, List.of(window.get(0), window.get(1), listed(17_000, "u", "e0"))))
        .isFalse();
    assertThat(claim.covers(key, List.of(window.get(0)))).isFalse();
    assertThat(claim.covers(key, List.of(window.get(0), listed(18_000, "t", "other")))).isFalse();
    assertThat(claim.covers(key, List.of(window.get(1), window.get(0)))).isFalse();
    // read back from an entry's state, as readers do
    ObjectNode state = json("{'files':{}}");
    state.set(WindowClaim.FIELD, claim.toJson());
    assertThat(WindowClaim.of(state)).isEqualTo(claim);
    assertThat(WindowClaim.of(json("{'files':{},'mps3Window':{'entry':1}}"))).isNull();
    assertThat(WindowClaim.of(json("{'files':{}}"))).isNull();
  }
}
