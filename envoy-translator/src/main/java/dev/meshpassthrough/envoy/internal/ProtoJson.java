package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;

/**
 * Envoy's proto3 JSON, read and written with protobuf's JsonFormat and {@link
 * EnvoyNames#TYPE_REGISTRY}.
 */
final class ProtoJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper TREE_WRITER =
      new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(EnvoyNames.TYPE_REGISTRY);
  private static final JsonFormat.Parser PARSER =
      JsonFormat.parser().usingTypeRegistry(EnvoyNames.TYPE_REGISTRY);

  /**
   * Protobuf's default recursion limit when it parses bytes (CodedInputStream), which Any.unpack
   * uses.
   */
  static final int RECURSION_LIMIT = 100;

  private ProtoJson() {}

  /**
   * Whether {@code message} can be read back from its bytes and written as JSON: packed in an Any
   * and printed, exactly as resources are written out, which parses every Any inside it too. False
   * when some part nests deeper than protobuf's recursion limit.
   */
  static boolean readsBack(Message message) {
    try {
      PRINTER.print(Any.pack(message));
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  /**
   * Reads {@code json} into a message of {@code builder}'s type. A top-level {@code @type} is
   * allowed when it names that type.
   *
   * @throws IllegalArgumentException when the JSON is not such a message; the message says why
   */
  static <B extends Message.Builder> B merge(JsonNode json, B builder) {
    if (!json.isObject()) {
      throw new IllegalArgumentException(
          "expected an object, got "
              + json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
    ObjectNode fields = ((ObjectNode) json).deepCopy();
    JsonNode type = fields.remove("@type");
    String expected = EnvoyNames.typeUrl(builder.getDescriptorForType());
    if (type != null && !expected.equals(type.asText())) {
      throw new IllegalArgumentException(
          "@type is '" + type.asText() + "', expected '" + expected + "'");
    }
    try {
      PARSER.merge(MAPPER.writeValueAsString(fields), builder);
      return builder;
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** {@code message} as a JSON tree, in JsonFormat's field order. */
  static JsonNode tree(Message message) {
    try {
      return MAPPER.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException(
          "every type packed in a resource is registered: " + e.getMessage(), e);
    }
  }

  /** Writes {@code message}'s tree as generator events, without flushing the generator. */
  static void writeTree(JsonGenerator generator, Message message) throws IOException {
    writeTree(generator, tree(message));
  }

  /**
   * Writes {@code tree} as generator events, without flushing: a flush per chain would be a write
   * per chain.
   */
  static void writeTree(JsonGenerator generator, JsonNode tree) throws IOException {
    TREE_WRITER.writeTree(generator, tree);
  }

  /** The shared mapper, configured with Jackson's defaults; thread-safe. */
  static ObjectMapper mapper() {
    return MAPPER;
  }
}
