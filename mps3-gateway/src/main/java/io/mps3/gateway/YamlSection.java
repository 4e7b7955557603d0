package io.mps3.gateway;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping of the config file, read with the line of every value at hand, so that each
 * error says where it is. Unknown keys are errors (a misspelt option must not be ignored silently).
 * Not thread-safe.
 */
final class YamlSection {

  private final String source;
  private final String path;
  private final Node node;
  private final Map<String, Node> entries = new LinkedHashMap<>();

  private YamlSection(String source, String path, Node node) {
    this.source = source;
    this.path = path;
    this.node = node;
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, (path.isEmpty() ? "the file" : path) + " must be a mapping of options");
    }
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode name)) {
        throw error(tuple.getKeyNode(), "option names must be plain words");
      }
      entries.put(name.getValue(), tuple.getValueNode());
    }
  }

  static YamlSection root(String source, Node node) {
    return new YamlSection(source, "", node);
  }

  /** Fails on any key not in {@code known}. */
  void allowOnly(Set<String> known) {
    for (Map.Entry<String, Node> entry : entries.entrySet()) {
      if (!known.contains(entry.getKey())) {
        throw error(
            entry.getValue(),
            "unknown option '"
                + name(entry.getKey())
                + "' (known: "
                + String.join(", ", new TreeSet<>(known))
                + ")");
      }
    }
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  YamlSection section(String key) {
    return new YamlSection(source, name(key), required(key));
  }

  List<YamlSection> sections(String key) {
    List<YamlSection> out = new ArrayList<>();
    List<Node> items = sequence(key);
    for (int i = 0; i < items.size(); i++) {
      out.add(new YamlSection(source, name(key) + "[" + i + "]", items.get(i)));
    }
    return out;
  }

  String string(String key) {
    Node value = required(key);
    if (!(value instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
      throw error(value, name(key) + " must be a non-empty text");
    }
    return scalar.getValue().trim();
  }

  String string(String key, String otherwise) {
    return has(key) ? string(key) : otherwise;
  }

  @Nullable String optionalString(String key) {
    return has(key) ? string(key) : null;
  }

  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    for (Node item : sequence(key)) {
      if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
        throw error(item, name(key) + " must be a list of non-empty texts");
      }
      out.add(scalar.getValue().trim());
    }
    return List.copyOf(out);
  }

  List<String> strings(String key, List<String> otherwise) {
    return has(key) ? strings(key) : otherwise;
  }

  /** A duration as {@code 90s}, {@code 15m}, {@code 1h} or ISO-8601 ({@code PT15M}). */
  Duration duration(String key, Duration otherwise) {
    if (!has(key)) {
      return otherwise;
    }
    String text = string(key).toLowerCase(Locale.ROOT);
    try {
      Duration parsed;
      if (text.startsWith("pt")) {
        parsed = Duration.parse(text);
      } else if (text.endsWith("ms")) {
        parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else if (text.endsWith("s")) {
        parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      } else if (text.endsWith("m")) {
        parsed = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      } else if (text.endsWith("h")) {
        parsed = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
      } else {
        throw new NumberFormatException(text);
      }
      if (parsed.isNegative() || parsed.isZero()) {
        throw error(required(key), name(key) + " must be positive, not '" + text + "'");
      }
      return parsed;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw error(
          required(key),
          name(key) + " must be a duration such as 90s, 15m or 1h, not '" + text + "'");
    }
  }

  /** The line (1-based) of a key's value, or of this section when the key is absent. */
  int line(String key) {
    Node value = entries.get(key);
    return (value == null ? node : value).getStartMark().getLine() + 1;
  }

  /** An error at a key's value (or at this section when the key is absent). */
  GatewayConfigException error(String key, String problem) {
    Node value = entries.get(key);
    return error(value == null ? node : value, problem);
  }

  String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private List<Node> sequence(String key) {
    Node value = required(key);
    if (!(value instanceof SequenceNode sequence)) {
      throw error(value, name(key) + " must be a list");
    }
    return sequence.getValue();
  }

  private Node required(String key) {
    Node value = entries.get(key);
    if (value == null) {
      throw error(node, "missing option '" + name(key) + "'");
    }
    return value;
  }

  private GatewayConfigException error(Node at, String problem) {
    return new GatewayConfigException(
        source + " line " + (at.getStartMark().getLine() + 1) + ": " + problem);
  }
}
