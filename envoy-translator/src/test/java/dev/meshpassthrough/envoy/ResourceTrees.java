package dev.meshpassthrough.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Semantic comparison of resource documents, as Kuma's {@code MatchYAML} does: mappings regardless
 * of key order, lists element by element in order.
 */
public final class ResourceTrees {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResourceTrees() {}

  /** The document of a translation result. */
  public static JsonNode of(TranslationResult result) {
    try {
      return JSON.readTree(result.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The part of a {@code {resources: [...]}} document whose resources have the given type URL
   * suffix ({@code Listener} or {@code Cluster}); Kuma writes an empty set as {@code {}}.
   */
  public static JsonNode only(JsonNode document, String typeSuffix) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode resources = out.putArray("resources");
    for (JsonNode entry : document.path("resources")) {
      if (entry.path("resource").path("@type").asText().endsWith("." + typeSuffix)) {
        resources.add(entry);
      }
    }
    return out;
  }

  /** A golden in the same shape: {@code {}} becomes {@code {resources: []}}. */
  public static JsonNode golden(JsonNode golden) {
    if (golden.has("resources")) {
      return golden;
    }
    ObjectNode out = JSON.createObjectNode();
    out.putArray("resources");
    return out;
  }

  /** Where two trees first differ, as a path and both values; empty when they are equal. */
  public static Optional<String> firstDifference(JsonNode expected, JsonNode actual) {
    return difference("$", expected, actual);
  }

  private static Optional<String> difference(String path, JsonNode expected, JsonNode actual) {
    if (expected.equals(actual)) {
      return Optional.empty();
    }
    if (expected.isObject() && actual.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      expected.fieldNames().forEachRemaining(keys::add);
      actual.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        Optional<String> d = difference(path + "." + key, expected.path(key), actual.path(key));
        if (d.isPresent()) {
          return d;
        }
      }
    }
    if (expected.isArray() && actual.isArray()) {
      Iterator<JsonNode> e = expected.elements();
      Iterator<JsonNode> a = actual.elements();
      for (int i = 0; e.hasNext() || a.hasNext(); i++) {
        JsonNode en = e.hasNext() ? e.next() : JSON.missingNode();
        JsonNode an = a.hasNext() ? a.next() : JSON.missingNode();
        Optional<String> d = difference(path + "[" + i + "]", en, an);
        if (d.isPresent()) {
          return d;
        }
      }
    }
    return Optional.of(
        path + ": expected " + abbreviate(expected) + " but was " + abbreviate(actual));
  }

  private static String abbreviate(JsonNode node) {
    String text = node.isMissingNode() ? "<missing>" : node.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
