package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint in segments (design 0016): {@code M/checkpoint/<n>} naming a base run and a stack of
 * delta runs, oldest first, whose segments together hold the state after slot {@code seq}.
 *
 * @param seq the slot the state follows
 * @param base the base run: every live file as of slot {@code base.to()}, no deletions
 * @param deltas the files changed after the base, oldest run first; null marks a deletion
 * @param ops the {@code op} of each of the last slots up to {@code seq}, the last one's last
 *     (design 0020): a writer whose create lost its answer learns from it whether its entry landed
 *     after cleanup deleted the slot; empty when the writer did not know them
 */
record StrictIndex(long seq, Run base, List<Run> deltas, List<String> ops) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A segment as an index names it.
   *
   * @param segment its name, the hex SHA-256 of its body
   * @param first the URL of its first file: it holds the files from there to the next one's first
   * @param files how many files it holds (a hint)
   * @param bytes its size (a hint)
   */
  record Ref(String segment, String first, int files, long bytes) {}

  /**
   * A run of segments in key order, holding the files changed in slots {@code (from, to]}.
   *
   * @param tier how many merges made it (the writer's; 0 for a fresh delta)
   * @param from the slot after which its changes start (0 for a base)
   * @param to the slot up to which it holds them
   * @param segments its segments, in key order
   */
  record Run(int tier, long from, long to, List<Ref> segments) {

    long files() {
      return segments.stream().mapToLong(Ref::files).sum();
    }

    long bytes() {
      return segments.stream().mapToLong(Ref::bytes).sum();
    }
  }

  StrictIndex {
    deltas = List.copyOf(deltas);
    ops = List.copyOf(ops);
  }

  /** The {@code op} of the entry of slot {@code n}, when this index remembers it; else null. */
  @Nullable String op(long n) {
    long at = ops.size() - 1 - (seq - n);
    return n <= seq && at >= 0 ? ops.get((int) at) : null;
  }

  /** Every segment it names, the base's first. */
  Set<String> names() {
    Set<String> out = new LinkedHashSet<>();
    base.segments().forEach(r -> out.add(r.segment()));
    deltas.forEach(run -> run.segments().forEach(r -> out.add(r.segment())));
    return out;
  }

  /** Every run in the order the state is built: the base, then the deltas, oldest first. */
  List<Run> runs() {
    List<Run> out = new ArrayList<>();
    out.add(base);
    out.addAll(deltas);
    return out;
  }

  byte[] toBytes() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("seq", seq);
    ObjectNode b = root.putObject("base");
    b.put("seq", base.to());
    refs(b.putArray("segments"), base.segments());
    ArrayNode ds = root.putArray("deltas");
    for (Run run : deltas) {
      ObjectNode d = ds.addObject();
      d.put("tier", run.tier());
      d.put("from", run.from());
      d.put("to", run.to());
      refs(d.putArray("segments"), run.segments());
    }
    if (!ops.isEmpty()) {
      ArrayNode o = root.putArray("ops");
      ops.forEach(o::add);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a checkpoint index could not be serialised", e);
    }
  }

  private static void refs(ArrayNode out, List<Ref> refs) {
    for (Ref ref : refs) {
      ObjectNode r = out.addObject();
      r.put("segment", ref.segment());
      r.put("first", ref.first());
      r.put("files", ref.files());
      r.put("bytes", ref.bytes());
    }
  }

  /** Whether a checkpoint's body is an index rather than a whole state (it has {@code "base"}). */
  static boolean isIndex(JsonNode root) {
    return root.has("base");
  }

  /** The index checkpoint {@code key} holds; invalid, naming what is wrong, unless of slot seq. */
  static Parsed<StrictIndex> parse(String key, long seq, byte[] body) {
    return BucketJson.readObject(key, body).then(root -> parse(key, seq, root));
  }

  static Parsed<StrictIndex> parse(String key, long seq, JsonNode root) {
    JsonNode stated = root.path("seq");
    if (!stated.isIntegralNumber() || stated.asLong(-1) != seq) {
      return Parsed.invalid(key, "not the checkpoint of slot " + seq);
    }
    JsonNode baseSeq = root.path("base").path("seq");
    if (!baseSeq.isIntegralNumber() || baseSeq.asLong(-1) < 0 || baseSeq.asLong() > seq) {
      return Parsed.invalid(key, "a checkpoint index needs a base with a seq up to " + seq);
    }
    List<Ref> baseRefs = refs(root.path("base").path("segments"));
    if (baseRefs == null || !root.path("deltas").isArray()) {
      return Parsed.invalid(key, "a checkpoint index needs base segments and deltas (arrays)");
    }
    List<Run> deltas = new ArrayList<>();
    long after = baseSeq.asLong();
    for (JsonNode d : root.get("deltas")) {
      List<Ref> refs = refs(d.path("segments"));
      long from = d.path("from").asLong(-1);
      long to = d.path("to").asLong(-1);
      if (refs == null || from < 0 || to < from || to > seq || from < after) {
        return Parsed.invalid(key, "a delta run needs segments and slots from..to in order");
      }
      deltas.add(new Run(d.path("tier").asInt(0), from, to, refs));
      after = to;
    }
    Run base = new Run(0, 0, baseSeq.asLong(), baseRefs);
    return Parsed.valid(new StrictIndex(seq, base, deltas, ops(root.path("ops"), seq)));
  }

  /** The ops an index remembers; none when they are absent or not strings (only a hint). */
  private static List<String> ops(JsonNode array, long seq) {
    List<String> out = new ArrayList<>();
    if (!array.isArray() || array.size() > seq) {
      return out;
    }
    for (JsonNode op : array) {
      if (!op.isTextual()) {
        return new ArrayList<>();
      }
      out.add(op.asText());
    }
    return out;
  }

  private static @Nullable List<Ref> refs(JsonNode array) {
    if (!array.isArray()) {
      return null;
    }
    List<Ref> out = new ArrayList<>();
    String previous = null;
    for (JsonNode r : array) {
      String name = r.path("segment").asText("");
      JsonNode first = r.path("first");
      if (!StrictSegment.isName(name)
          || !first.isTextual()
          || (previous != null && previous.compareTo(first.asText()) >= 0)) {
        return null;
      }
      previous = first.asText();
      out.add(new Ref(name, previous, r.path("files").asInt(0), r.path("bytes").asLong(0)));
    }
    return out;
  }
}
