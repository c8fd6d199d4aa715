package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;

/**
 * The document {@code {"resources": [{"name": N, "resource": {"@type": ..., ...}}]}} of a
 * translation result, the shape of Kuma's goldens.
 */
public final class ResourceDocument {
  private ResourceDocument() {}

  /** The document as indented JSON; see {@link TranslationResult#toJson()}. */
  public static String toJson(TranslationResult result) {
    try {
      return ProtoJson.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree(result));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static ObjectNode tree(TranslationResult result) {
    ObjectNode document = ProtoJson.mapper().createObjectNode();
    ArrayNode resources = document.putArray("resources");
    for (Listener listener : result.listeners()) {
      add(resources, listener.getName(), listener);
    }
    for (Cluster cluster : result.clusters()) {
      add(resources, cluster.getName(), cluster);
    }
    return document;
  }

  private static void add(ArrayNode resources, String name, Message resource) {
    ObjectNode entry = resources.addObject();
    entry.put("name", name);
    entry.set("resource", ProtoJson.packedTree(resource));
  }
}
