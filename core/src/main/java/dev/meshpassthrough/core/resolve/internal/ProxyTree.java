package dev.meshpassthrough.core.resolve.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.model.IpLiteral;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One proxy file, read once: its tree and its text for locating mistakes, with the field readers
 * that both halves of the schema use (core's selection part, the translator's resources part).
 * Every error is {@code source:line:column: path: message}.
 *
 * <p>Public only for the translator's reader of the same file; not an API.
 */
public final class ProxyTree {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final LocatedYaml text;
  private final JsonNode root;

  private ProxyTree(LocatedYaml text, JsonNode root) {
    this.text = text;
    this.root = root;
  }

  /**
   * Reads {@code text} as YAML or JSON, refusing duplicate keys and YAML tags the readers do not
   * know; an empty document is an empty mapping.
   *
   * @param text the document
   * @param sourceName names it in messages
   * @return the tree
   * @throws IllegalArgumentException {@code source:line:column: not a YAML or JSON document: why}
   */
  public static ProxyTree parse(String text, String sourceName) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null || at.getLineNr() <= 0
              ? sourceName
              : sourceName + ":" + at.getLineNr() + ":" + Math.max(at.getColumnNr(), 1);
      throw new IllegalArgumentException(
          where + ": not a YAML or JSON document: " + e.getOriginalMessage(), e);
    }
    LocatedYaml located = new LocatedYaml(text, sourceName);
    located.refuseUnknownTags();
    return new ProxyTree(
        located, root == null || root.isMissingNode() ? YAML.createObjectNode() : root);
  }

  /**
   * The document's root.
   *
   * @return the root node, a mapping unless the document is something else (which {@link #object}
   *     refuses)
   */
  public JsonNode root() {
    return root;
  }

  /**
   * The source name.
   *
   * @return the name given to {@link #parse}
   */
  public String source() {
    return text.source();
  }

  /**
   * Refuses a node that is not a mapping, or that has a field outside {@code known}; a missing or
   * null node is fine.
   *
   * @param node the node
   * @param path its path, empty for the root
   * @param known the field names allowed
   */
  public void object(JsonNode node, String path, Set<String> known) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw fail(path.isEmpty() ? "the document" : path, "must be a mapping");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw fail(
            path.isEmpty() ? name : path + "." + name,
            "unknown field; known here: " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /**
   * The elements of a list; none for a missing or null node.
   *
   * @param node the node
   * @param path its path
   * @return the elements in order
   */
  public List<JsonNode> elements(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail(path, "must be a list");
    }
    List<JsonNode> out = new ArrayList<>();
    node.forEach(out::add);
    return out;
  }

  /**
   * A scalar as text (a number is its text); empty for a missing or null node.
   *
   * @param node the node
   * @param path its path
   * @return the text
   */
  public Optional<String> text(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isValueNode() || node.isBoolean()) {
      throw fail(path, "must be a string");
    }
    return Optional.of(node.asText());
  }

  /**
   * A list of strings; none for a missing or null node.
   *
   * @param node the node
   * @param path its path
   * @return the strings in order
   */
  public List<String> texts(JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    int index = 0;
    for (JsonNode element : elements(node, path)) {
      String elementPath = path + "[" + index++ + "]";
      out.add(text(element, elementPath).orElseThrow(() -> fail(elementPath, "must be a string")));
    }
    return out;
  }

  /**
   * A boolean; empty for a missing or null node.
   *
   * @param node the node
   * @param path its path
   * @return the value
   */
  public Optional<Boolean> bool(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw fail(path, "must be true or false");
    }
    return Optional.of(node.asBoolean());
  }

  /**
   * A port from {@code min} to 65535; empty for a missing or null node.
   *
   * @param node the node
   * @param path its path
   * @param min the lowest port allowed, 0 or 1
   * @return the port
   */
  public Optional<Integer> port(JsonNode node, String path, int min) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.asInt() < min
        || node.asInt() > 65535) {
      throw fail(path, "must be a port, " + min + "-65535");
    }
    return Optional.of(node.asInt());
  }

  /**
   * A mapping of strings, sorted by key; empty for a missing or null node.
   *
   * @param node the node
   * @param path its path
   * @return the mapping
   */
  public SortedMap<String, String> map(JsonNode node, String path) {
    SortedMap<String, String> out = new TreeMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw fail(path, "must be a mapping of strings");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String fieldPath = path + "." + field.getKey();
      out.put(
          field.getKey(),
          text(field.getValue(), fieldPath).orElseThrow(() -> fail(fieldPath, "must be a string")));
    }
    return out;
  }

  /**
   * Refuses an address with a character outside ASCII: Guava reads a fullwidth or Arabic-Indic
   * digit as an ASCII one, while Kuma and Envoy reject it.
   *
   * @param address the address as written
   * @param path its path
   */
  public void ascii(String address, String path) {
    IpLiteral.nonAscii(address)
        .ifPresent(
            where -> {
              throw fail(path, "'" + address + "' has " + where + ": addresses are ASCII only");
            });
  }

  /**
   * An exception for a mistake at {@code path}.
   *
   * @param path the field
   * @param message what is wrong
   * @return {@code source:line:column: path: message}, to throw
   */
  public IllegalArgumentException fail(String path, String message) {
    return text.fail(path, message);
  }

  /**
   * The source prefix of a message about the whole document.
   *
   * @param message what is wrong
   * @return {@code source: message}, to throw
   */
  public IllegalArgumentException failDocument(String message, Throwable cause) {
    return new IllegalArgumentException(text.source() + ": " + message, cause);
  }
}
