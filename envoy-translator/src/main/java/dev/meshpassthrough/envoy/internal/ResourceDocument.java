package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The document {@code {"resources": [{"name": N, "resource": {"@type": ..., ...}}]}} of a
 * translation result, the shape of Kuma's goldens, written as a stream of generator events.
 *
 * <p>Never holds the document, nor one resource, as text or as a tree: a listener of 100,000 chains
 * is about 75 MB of JSON, and a tree of it some 30 bytes of heap per byte. A message whose encoded
 * size is at most {@link #WHOLE_BYTES} is printed by protobuf's JsonFormat and copied into the
 * generator as a small tree; a bigger one is written field by field, its message fields (the chains
 * of a listener, the virtual hosts of a route table, inside {@code Any} too) element by element,
 * the rest of it through JsonFormat. The events are those of writing the whole document's tree, so
 * the text is byte-identical to printing that tree with the same generator settings.
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

  /**
   * Messages up to this encoded size are printed whole; a tree of one costs a few megabytes at
   * most.
   */
  static final int WHOLE_BYTES = 64 * 1024;

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
    writeAny(generator, EnvoyNames.typeUrl(resource.getDescriptorForType()), resource);
    generator.writeEndObject();
  }

  /** A message field's value: whole when small, else field by field. */
  private static void writeMessage(JsonGenerator generator, Message message) throws IOException {
    if (message.getSerializedSize() <= WHOLE_BYTES || isWellKnown(message.getDescriptorForType())) {
      ProtoJson.writeTree(generator, message);
    } else if (message instanceof Any any) {
      writeAny(generator, any.getTypeUrl(), unpack(any));
    } else {
      writeFields(generator, message, null);
    }
  }

  /**
   * {@code unpacked} packed in an Any, as JsonFormat writes it: {@code @type} first, then the
   * fields. A big one is never packed: that would copy it into one byte string.
   */
  private static void writeAny(JsonGenerator generator, String typeUrl, Message unpacked)
      throws IOException {
    if (unpacked.getSerializedSize() <= WHOLE_BYTES
        || isWellKnown(unpacked.getDescriptorForType())) {
      ProtoJson.writeTree(
          generator,
          Any.newBuilder().setTypeUrl(typeUrl).setValue(unpacked.toByteString()).build());
    } else {
      writeFields(generator, unpacked, typeUrl);
    }
  }

  /**
   * The fields of a big message in JsonFormat's order (field number): its non-map message fields
   * streamed, the others printed together by JsonFormat with those fields cleared.
   */
  private static void writeFields(
      JsonGenerator generator, Message message, @Nullable String typeUrl) throws IOException {
    Map<FieldDescriptor, Object> fields = message.getAllFields();
    Message.Builder rest = message.toBuilder();
    fields.keySet().stream().filter(ResourceDocument::isStreamed).forEach(rest::clearField);
    JsonNode restTree = ProtoJson.tree(rest.build());
    generator.writeStartObject();
    if (typeUrl != null) {
      generator.writeStringField("@type", typeUrl);
    }
    for (Map.Entry<FieldDescriptor, Object> field : fields.entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      generator.writeFieldName(descriptor.getJsonName());
      if (!isStreamed(descriptor)) {
        JsonNode value = restTree.get(descriptor.getJsonName());
        if (value == null) {
          throw new IllegalStateException("JsonFormat left out field " + descriptor.getFullName());
        }
        ProtoJson.writeTree(generator, value);
      } else if (descriptor.isRepeated()) {
        generator.writeStartArray();
        for (Object element : (List<?>) field.getValue()) {
          writeMessage(generator, (Message) element);
        }
        generator.writeEndArray();
      } else {
        writeMessage(generator, (Message) field.getValue());
      }
    }
    generator.writeEndObject();
  }

  /**
   * Message fields other than maps and well-known types, whose JSON is a plain object per message.
   */
  private static boolean isStreamed(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !field.isMapField()
        && (!isWellKnown(field.getMessageType())
            || field.getMessageType().equals(Any.getDescriptor()));
  }

  /**
   * google.protobuf types other than Any have JSON forms of their own (strings, numbers, lists).
   */
  private static boolean isWellKnown(Descriptor type) {
    return type.getFile().getPackage().equals("google.protobuf")
        && !type.equals(Any.getDescriptor());
  }

  private static Message unpack(Any any) {
    Descriptor type =
        EnvoyNames.TYPE_REGISTRY.find(
            any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1));
    if (type == null) {
      throw new IllegalStateException(
          "every type packed in a resource is registered: " + any.getTypeUrl());
    }
    try {
      return DynamicMessage.parseFrom(type, any.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an Any the translator packed parses: " + e.getMessage(), e);
    }
  }
}
