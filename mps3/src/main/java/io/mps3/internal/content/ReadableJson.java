package io.mps3.internal.content;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Refuses a value that readers could not read back. Every reader of the bucket parses with
 * Jackson's default read limits ({@link StreamReadConstraints}: nesting depth, length of a number,
 * a string, a field name), so that a hostile object costs little (see {@code BucketJson}). A value
 * past one of them would be written and acknowledged, then skipped by every reader as not JSON:
 * lost. NaN and the infinities are not JSON at all (Jackson writes them as strings). So a value is
 * checked when it is put, and refused naming what is wrong.
 */
final class ReadableJson {

  private static final StreamReadConstraints LIMITS = StreamReadConstraints.defaults();

  /** Levels a stored value may use: a log entry or a segment wraps it in a few of its own. */
  static final int MAX_DEPTH = LIMITS.getMaxNestingDepth() - 16;

  private ReadableJson() {}

  /** Throws {@link IllegalArgumentException} when readers could not read {@code value} back. */
  static void check(JsonNode value) {
    Deque<JsonNode> nodes = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    nodes.push(value);
    depths.push(0);
    while (!nodes.isEmpty()) {
      JsonNode node = nodes.pop();
      int depth = depths.pop();
      if (node.isContainerNode()) {
        if (depth + 1 > MAX_DEPTH) {
          throw new IllegalArgumentException(
              "the value nests deeper than " + MAX_DEPTH + " levels, which readers refuse");
        }
        if (node.isObject()) {
          for (Map.Entry<String, JsonNode> field : node.properties()) {
            checkLength("a field name", field.getKey().length(), LIMITS.getMaxNameLength());
            nodes.push(field.getValue());
            depths.push(depth + 1);
          }
        } else {
          for (JsonNode element : node) {
            nodes.push(element);
            depths.push(depth + 1);
          }
        }
      } else if (node.isTextual()) {
        checkLength("a string", node.textValue().length(), LIMITS.getMaxStringLength());
      } else if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
        double number = node.doubleValue();
        if (Double.isNaN(number) || Double.isInfinite(number)) {
          throw new IllegalArgumentException(
              "the value holds " + number + ", which JSON cannot write as a number");
        }
      } else if (node.isBigDecimal() || node.isBigInteger()) {
        // Digits as the writers write them (BigDecimal.toString, BigInteger.toString), counted
        // as the reader counts them: the digits before and after the point and of the exponent.
        long digits =
            node.numberValue().toString().chars().filter(c -> c >= '0' && c <= '9').count();
        checkLength("a number", (int) digits, "digits", LIMITS.getMaxNumberLength());
      }
    }
  }

  private static void checkLength(String what, int length, int max) {
    checkLength(what, length, "characters", max);
  }

  private static void checkLength(String what, int length, String units, int max) {
    if (length > max) {
      throw new IllegalArgumentException(
          "the value holds "
              + what
              + " of "
              + length
              + " "
              + units
              + "; readers take at most "
              + max);
    }
  }
}
