package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The document {@code {"resources": [{"name": N, "resource": {"@type": ..., ...}}]}} of a
 * translation result, the shape of Kuma's goldens, written as a stream of generator events.
 *
 * <p>Never holds the document, nor one resource, as text or as a tree: a listener of 100,000 chains
 * is about 75 MB of JSON, and a tree of it some 30 bytes of heap per byte. Every message is written
 * field by field ({@link ProtoJsonStream}), as the events of protobuf's JsonFormat text read back
 * as a tree, so the text is byte-identical to printing JsonFormat's tree of the whole document with
 * the same generator settings (tested on every corpus translation).
 */
public final class ResourceDocument {
  /**
   * The registry of every type the resources may pack in {@code Any}: see {@link
   * TranslationResult#typeRegistry()}.
   *
   * @return the registry
   */
  public static com.google.protobuf.util.JsonFormat.TypeRegistry typeRegistry() {
    return EnvoyNames.TYPE_REGISTRY;
  }

  private ResourceDocument() {}

  /** The document as indented JSON; see {@link TranslationResult#toJson()}. */
  public static String toJson(TranslationResult result) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator =
        ProtoJson.mapper().writer(SerializationFeature.INDENT_OUTPUT).createGenerator(text)) {
      write(result, generator);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return text.toString();
  }

  /**
   * Writes the document to {@code generator}, one resource at a time; see {@link
   * TranslationResult#writeTo}.
   */
  public static void write(TranslationResult result, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeFieldName("resources");
    generator.writeStartArray();
    for (Listener listener : result.listeners()) {
      writeResource(generator, listener.getName(), listener);
    }
    for (Cluster cluster : result.clusters()) {
      writeResource(generator, cluster.getName(), cluster);
    }
    generator.writeEndArray();
    generator.writeEndObject();
    generator.flush();
  }

  private static void writeResource(JsonGenerator generator, String name, Message resource)
      throws IOException {
    generator.writeStartObject();
    generator.writeStringField("name", name);
    generator.writeFieldName("resource");
    ProtoJsonStream.writeAny(
        generator, EnvoyNames.typeUrl(resource.getDescriptorForType()), resource);
    generator.writeEndObject();
  }
}
