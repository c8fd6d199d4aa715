package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslationResult.TextFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The document {@code {"resources": [{"name": N, "resource": {"@type": ..., ...}}]}} of a
 * translation result, the shape of Kuma's goldens, written as a stream of generator events.
 *
 * <p>Never holds the document as text or as a tree: a listener of 100,000 chains is about 75 MB of
 * JSON, and a tree of it some 30 bytes of heap per byte. Every resource is written field by field
 * from its protobuf encoding ({@link ProtoJsonStream}; the encoding of one resource at a time is
 * held, about a third of its JSON), as the events of protobuf's JsonFormat text read back as a
 * tree, so the text is byte-identical to printing JsonFormat's tree of the whole document with the
 * same generator settings (tested on every corpus translation, JSON and YAML). The one exception is
 * YAML with the CLI's settings, which holds the text of one resource at a time, of a resource whose
 * encoding is at most {@link #TENTATIVE_LIMIT} (see there).
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

  /** A YAML factory with the CLI's settings (cli/.../StructuredOutput). */
  private static final YAMLFactory CLI_YAML =
      YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build();

  /** The YAML format features of the CLI's generators. */
  private static final int CLI_YAML_FEATURES = CLI_YAML.getFormatGeneratorFeatures();

  /**
   * The largest encoding, in bytes, of a resource that {@link YamlText} writes tentatively, holding
   * its text until it is complete; a larger one is checked first ({@link YamlWireCheck}) and its
   * text handed on as it is written. Its YAML text is about 2.5 characters per byte of encoding in
   * translations (a byte each in {@link TextBlocks}), so the text held is at most about 20 MB, less
   * than the resource's own objects, which the caller holds anyway. It is high enough that the
   * largest listener of a 10,000-entry translation (4.5 MB for the matcher encoding) is written in
   * one pass, without the check.
   */
  static final int TENTATIVE_LIMIT = 8 << 20;

  /** The item's field names, whose text writers work out once. */
  private static final FieldName NAME = new FieldName("name");

  private static final FieldName RESOURCE = new FieldName("resource");

  /** The tag of a listener's and a cluster's name, field 1, length-delimited. */
  private static final byte NAME_TAG =
      (byte) (Listener.NAME_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED);

  /** The packed types of the resources, worked out once (a URL per resource cost a share). */
  private static final PackedType LISTENER = packedType(Listener.getDescriptor());

  private static final PackedType CLUSTER = packedType(Cluster.getDescriptor());

  private ResourceDocument() {}

  /** The document as indented JSON; see {@link TranslationResult#toJson()}. */
  public static String toJson(TranslationResult result) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = jsonGenerator(text)) {
      write(result, generator);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return text.toString();
  }

  /** A JSON generator of {@link #toJson()}'s settings: indented by Jackson's pretty printer. */
  private static JsonGenerator jsonGenerator(Writer out) throws IOException {
    return ProtoJson.mapper().writer(SerializationFeature.INDENT_OUTPUT).createGenerator(out);
  }

  /**
   * Writes the document to {@code generator}, one resource at a time; see {@link
   * TranslationResult#writeTo}. A YAML generator with the CLI's settings that has written nothing
   * yet gets the text from {@link YamlText}, which writes what it would (SnakeYAML's emitter is
   * most of the cost of printing YAML), when YamlText is sure of every scalar of the last resource
   * (whose last line the generator writes); a resource with a scalar YamlText is not sure of is
   * written by Jackson's YAML generator alone. A JSON generator that {@link JsonTextProbe} finds
   * writes what {@link JsonText} does gets the document's frame as events and its items as
   * JsonText's text; any other generator gets the events.
   */
  public static void write(TranslationResult result, JsonGenerator generator) throws IOException {
    write(result, generator, TENTATIVE_LIMIT);
  }

  /**
   * {@link #write(TranslationResult, JsonGenerator)} with {@code tentativeLimit} in place of {@link
   * #TENTATIVE_LIMIT}, so that tests reach both ways of writing a resource with small ones.
   */
  static void write(TranslationResult result, JsonGenerator generator, int tentativeLimit)
      throws IOException {
    write(result, generator, null, tentativeLimit);
  }

  /**
   * The document as UTF-8 bytes in {@code format}; see {@link TranslationResult#writeTo(
   * OutputStream, TextFormat)}. The generator of the format writes into a {@link TextSink} of
   * {@code out}, which takes YamlText's text as it is, bytes of ASCII characters, and the
   * generator's own text (JSON's, YAML's last line and the items YamlText is not sure of) through
   * its writer.
   */
  public static void write(TranslationResult result, OutputStream out, TextFormat format)
      throws IOException {
    write(result, out, format, TENTATIVE_LIMIT);
  }

  /**
   * {@link #write(TranslationResult, OutputStream, TextFormat)} with {@code tentativeLimit} in
   * place of {@link #TENTATIVE_LIMIT}.
   */
  static void write(
      TranslationResult result, OutputStream out, TextFormat format, int tentativeLimit)
      throws IOException {
    TextSink sink = TextSink.of(out);
    JsonGenerator generator =
        switch (format) {
          case JSON -> jsonGenerator(sink.writer());
          case YAML -> CLI_YAML.createGenerator(sink.writer());
        };
    // Closed for the YAML generator's last events, but the stream is the caller's.
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    try (generator) {
      write(result, generator, sink, tentativeLimit);
    }
    sink.flush();
    out.flush();
  }

  /**
   * The document through {@code generator}; {@code sink}, when given, is where the generator's
   * writer's text goes, which YamlText then writes to instead of to the generator's writer.
   */
  private static void write(
      TranslationResult result,
      JsonGenerator generator,
      @Nullable TextSink sink,
      int tentativeLimit)
      throws IOException {
    List<Message> resources = resources(result);
    if (generator instanceof YAMLGenerator yaml && isCliYaml(yaml) && lastLineIsSure(resources)) {
      TextSink text = sink != null ? sink : TextSink.of((Writer) yaml.getOutputTarget());
      writeYamlText(resources, text, yaml, tentativeLimit);
      return;
    }
    if (JsonTextProbe.reproduces(generator)) {
      writeJsonText(resources, generator);
      return;
    }
    writeEvents(resources, generator);
    generator.flush();
  }

  /**
   * The document's frame through {@code generator}, its items as {@link JsonText}, which writes
   * what the generator would (Jackson's pretty printer was about half of printing JSON).
   */
  private static void writeJsonText(List<Message> resources, JsonGenerator generator)
      throws IOException {
    startDocument(generator);
    // The frame's text reaches the writer before the items'.
    generator.flush();
    JsonText text = new JsonText((Writer) generator.getOutputTarget());
    writeItems(resources, text);
    text.finish();
    endDocument(generator);
    generator.flush();
  }

  /**
   * The document as {@link YamlText}'s text: each resource but the last written tentatively, or
   * checked first when its encoding is above {@link #TENTATIVE_LIMIT}, and written by Jackson's
   * YAML generator when YamlText is not sure of it; the last resource, whose last line goes through
   * {@code yaml}, was checked before.
   */
  private static void writeYamlText(
      List<Message> resources, TextSink out, YAMLGenerator yaml, int tentativeLimit)
      throws IOException {
    YamlText text = new YamlText(YamlText.Mode.WRITE, out);
    startDocument(text);
    int last = resources.size() - 1;
    for (int i = 0; i <= last; i++) {
      Message resource = resources.get(i);
      byte[] encoding = resource.toByteArray();
      if (i == last) {
        writeItem(text, resource, encoding);
      } else if (encoding.length <= tentativeLimit) {
        text.beginItem();
        writeItem(text, resource, encoding);
        if (!text.endItem()) {
          text.writeItemText(itemOut -> writeJacksonItem(resource, encoding, itemOut));
        }
      } else if (isSure(resource, encoding)) {
        writeItem(text, resource, encoding);
      } else {
        text.writeItemText(itemOut -> writeJacksonItem(resource, encoding, itemOut));
      }
    }
    endDocument(text);
    text.finish(yaml);
    yaml.flush();
  }

  /**
   * Whether YamlText is sure of every scalar of a resource: from its encoding ({@link
   * YamlWireCheck}), else (a struct, which the encoding does not tell) from its events.
   */
  private static boolean isSure(Message resource, byte[] encoding) throws IOException {
    if (YamlScalars.valueStyle(name(resource)).isSure()
        && packedType(resource).yamlSure()
        && YamlWireCheck.isSure(resource.getDescriptorForType(), encoding)) {
      return true;
    }
    YamlText check = YamlText.checker();
    writeItem(check, resource, encoding);
    return check.isSureOfScalars();
  }

  /**
   * One resource written by a YAML generator with the CLI's settings, as the only item of a
   * document, of which {@link YamlItemWriter} passes on the item's text to {@code out}.
   */
  private static int writeJacksonItem(Message resource, byte[] encoding, Writer out)
      throws IOException {
    YamlItemWriter item = new YamlItemWriter(out);
    try (JsonGenerator generator = CLI_YAML.createGenerator(item)) {
      startDocument(generator);
      writeItem(generator, resource, encoding);
      endDocument(generator);
    }
    return item.finish();
  }

  /**
   * Whether YamlText is sure of every scalar of the last resource, and the document's last line,
   * which YamlText writes through the generator, is one line.
   */
  private static boolean lastLineIsSure(List<Message> resources) throws IOException {
    YamlText check = YamlText.checker();
    writeEvents(
        resources.isEmpty() ? resources : resources.subList(resources.size() - 1, resources.size()),
        check);
    return check.isSure();
  }

  /** The listeners, then the clusters. */
  private static List<Message> resources(TranslationResult result) {
    List<Message> resources = new ArrayList<>(result.listeners().size() + result.clusters().size());
    resources.addAll(result.listeners());
    resources.addAll(result.clusters());
    return resources;
  }

  /**
   * Whether {@code yaml} is Jackson's own YAMLGenerator with the CLI's format features, writing to
   * a writer, at the start of its output.
   */
  private static boolean isCliYaml(YAMLGenerator yaml) {
    return yaml.getClass() == YAMLGenerator.class
        && yaml.getFormatFeatures() == CLI_YAML_FEATURES
        && yaml.getOutputTarget() instanceof Writer
        && yaml.getOutputContext().inRoot()
        && yaml.getOutputContext().getEntryCount() == 0;
  }

  private static void writeEvents(List<Message> resources, JsonGenerator generator)
      throws IOException {
    startDocument(generator);
    writeItems(resources, generator);
    endDocument(generator);
  }

  /** The document up to its first resource: the object and its {@code resources} array. */
  static void startDocument(JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeFieldName("resources");
    generator.writeStartArray();
  }

  /** The document after its last resource. */
  static void endDocument(JsonGenerator generator) throws IOException {
    generator.writeEndArray();
    generator.writeEndObject();
  }

  /** Each resource, as an item of the {@code resources} array. */
  private static void writeItems(List<Message> resources, JsonGenerator generator)
      throws IOException {
    for (Message resource : resources) {
      writeItem(generator, resource, resource.toByteArray());
    }
  }

  /** A resource, of encoding {@code encoding}, as an item of the {@code resources} array. */
  private static void writeItem(JsonGenerator generator, Message resource, byte[] encoding)
      throws IOException {
    generator.writeStartObject();
    generator.writeFieldName(NAME);
    int nameLength = asciiNameLength(encoding);
    if (nameLength > 0 && generator instanceof DocumentText text) {
      // The name's bytes, straight from the encoding (no String to look at again).
      text.writeUTF8String(encoding, 2, nameLength);
    } else {
      generator.writeString(name(resource));
    }
    generator.writeFieldName(RESOURCE);
    ProtoJsonStream.writeAny(generator, packedType(resource), encoding);
    generator.writeEndObject();
  }

  /**
   * The length of a resource's name in its encoding when the encoding starts with it (field 1 of a
   * listener and of a cluster, which generated code encodes first when it is not empty), in fewer
   * than 128 bytes (a length of one byte), all ASCII other than {@code ?}; else 0. Such bytes are
   * the name's characters; any other name goes through its String, as before (protobuf encodes a
   * lone surrogate of the String as {@code ?}).
   */
  static int asciiNameLength(byte[] encoding) {
    if (encoding.length < 2 || encoding[0] != NAME_TAG || encoding[1] < 0) {
      return 0;
    }
    int end = 2 + encoding[1];
    if (end > encoding.length) {
      return 0;
    }
    for (int i = 2; i < end; i++) {
      if (encoding[i] < 0 || encoding[i] == '?') {
        return 0;
      }
    }
    return encoding[1];
  }

  private static PackedType packedType(Descriptor type) {
    PackedType packed = PackedType.of(EnvoyNames.typeUrl(type));
    if (packed == null) {
      throw new IllegalStateException("a resource's type is registered: " + type.getFullName());
    }
    return packed;
  }

  private static PackedType packedType(Message resource) {
    if (resource instanceof Listener) {
      return LISTENER;
    } else if (resource instanceof Cluster) {
      return CLUSTER;
    }
    throw new IllegalStateException("a resource is a listener or a cluster");
  }

  private static String name(Message resource) {
    if (resource instanceof Listener listener) {
      return listener.getName();
    } else if (resource instanceof Cluster cluster) {
      return cluster.getName();
    }
    throw new IllegalStateException("a resource is a listener or a cluster");
  }
}
