package io.mps3.internal.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WindowClaim#changesNothing} compares only the parts of the state the patches touch; it
 * must answer exactly what comparing the whole states answers. Random states and merge patches,
 * nested objects, nulls (in states and patches), scalars and arrays, over a few field names so that
 * patches collide, with top-level fields beside {@code files}. The reference replays with {@link
 * JsonMergePatch#apply} (not the in-place variant the claim uses). The inputs are not modified.
 */
class WindowClaimPropertyTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] NAMES = {"files", "a", "b", "c"};

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void theProjectionAnswersWhatTheWholeStatesAnswer(long seed) {
    Random random = new Random(seed);
    int changesNothing = 0;
    for (int i = 0; i < 5000; i++) {
      ObjectNode state = object(random, 3, false);
      List<ObjectNode> window = new ArrayList<>();
      int n = random.nextInt(4);
      for (int w = 0; w < n; w++) {
        window.add(patch(random, state));
      }
      ObjectNode own = patch(random, state);
      ObjectNode stateBefore = state.deepCopy();
      List<ObjectNode> windowBefore = new ArrayList<>();
      window.forEach(w -> windowBefore.add(w.deepCopy()));
      ObjectNode ownBefore = own.deepCopy();

      JsonNode replayed = state;
      for (ObjectNode w : window) {
        replayed = JsonMergePatch.apply(replayed, w);
      }
      replayed = JsonMergePatch.apply(replayed, own);
      boolean expected = replayed.equals(JsonMergePatch.apply(state, own));

      assertThat(WindowClaim.changesNothing(state, window, own))
          .as("state %s, window %s, own %s", state, window, own)
          .isEqualTo(expected);
      assertThat(state).isEqualTo(stateBefore);
      assertThat(window).isEqualTo(windowBefore);
      assertThat(own).isEqualTo(ownBefore);
      if (expected) {
        changesNothing++;
      }
    }
    // Both answers are common enough for the comparison to mean something.
    assertThat(changesNothing).isBetween(500, 4500);
  }

  /**
   * A patch that often names what the state holds, so that replays land on existing objects: a
   * random object, or one built along the state's own fields.
   */
  private static ObjectNode patch(Random random, ObjectNode state) {
    return random.nextInt(3) == 0 ? object(random, 3, true) : along(random, state, 3);
  }

  private static ObjectNode along(Random random, ObjectNode state, int depth) {
    ObjectNode patch = F.objectNode();
    for (String name : NAMES) {
      if (random.nextInt(3) != 0) {
        continue;
      }
      JsonNode current = state.get(name);
      if (current instanceof ObjectNode child && depth > 0 && random.nextBoolean()) {
        patch.set(name, along(random, child, depth - 1));
      } else if (current != null && random.nextInt(4) == 0) {
        patch.set(name, current.deepCopy()); // the same value again: often changes nothing
      } else {
        patch.set(name, value(random, depth, true));
      }
    }
    return patch;
  }

  private static ObjectNode object(Random random, int depth, boolean nulls) {
    ObjectNode object = F.objectNode();
    int fields = random.nextInt(4);
    for (int i = 0; i < fields; i++) {
      object.set(NAMES[random.nextInt(NAMES.length)], value(random, depth - 1, nulls));
    }
    return object;
  }

  private static JsonNode value(Random random, int depth, boolean nulls) {
    int kind = random.nextInt(depth > 0 ? 7 : 5);
    return switch (kind) {
      case 0 -> F.nullNode(); // in a state too: a value like any other, kept by merge patches
      case 1 -> F.numberNode(random.nextInt(3));
      case 2 -> F.textNode("v" + random.nextInt(3));
      case 3 -> F.booleanNode(random.nextBoolean());
      case 4 -> array(random);
      default -> object(random, depth, nulls);
    };
  }

  private static ArrayNode array(Random random) {
    ArrayNode array = F.arrayNode();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      array.add(random.nextBoolean() ? F.nullNode() : F.numberNode(random.nextInt(2)));
    }
    return array;
  }
}
