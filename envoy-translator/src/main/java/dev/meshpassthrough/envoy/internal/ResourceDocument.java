package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
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
 * <p>Never holds the document, nor one resource, as text or as a tree: a listener of 100,000 chains
 * is about 75 MB of JSON, and a tree of it some 30 bytes of heap per byte. Every resource is
 * written field by field from its protobuf encoding ({@link ProtoJsonStream}; the encoding of one
 * resource at a time is held, about a third of its JSON), as the events of protobuf's JsonFormat
 * text read back as a tree, so the text is byte-identical to printing JsonFormat's tree of the
 * whole document with the same generator settings (tested on every corpus translation, JSON and
 * YAML).
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

  /** The YAML format features of the CLI's generators (cli/.../StructuredOutput). */
  private static final int CLI_YAML_FEATURES =
      YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build()
          .getFormatGeneratorFeatures();

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
   * TranslationResult#writeTo}. A YAML generator with the CLI's settings that has written nothing
   * yet gets the text from {@link YamlText}, which writes what it would (SnakeYAML's emitter is
   * most of the cost of printing YAML), when every scalar of the document is one YamlText is sure
   * of; a JSON generator that {@link JsonTextProbe} finds writes what {@link JsonText} does gets
   * the document's frame as events and its items as JsonText's text; any other generator gets the
   * events.
   */
  public static void write(TranslationResult result, JsonGenerator generator) throws IOException {
    List<Message> resources = resources(result);
    if (generator instanceof YAMLGenerator yaml && isCliYaml(yaml)) {
      Writer out = (Writer) yaml.getOutputTarget();
      // The strings of every resource are checked from their encodings (kept for the writing pass
      // up to a budget), the last line by a checking pass over the last resource alone: the text
      // before each resource's item is the same wherever it stands.
      Encodings encodings = Encodings.checked(resources);
      if (encodings != null && lastLineIsSure(resources)) {
        writeText(resources, encodings, out, yaml);
        return;
      }
      // Some string the encodings do not tell: check every event, then write.
      YamlText check = new YamlText(YamlText.Mode.CHECK, null);
      writeEvents(resources, Encodings.NONE, check);
      if (check.isSure()) {
        writeText(resources, Encodings.NONE, out, yaml);
        return;
      }
    }
    if (JsonTextProbe.reproduces(generator)) {
      writeJsonText(resources, generator);
      return;
    }
    writeEvents(resources, Encodings.NONE, generator);
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
    writeItems(resources, Encodings.NONE, text);
    text.finish();
    endDocument(generator);
    generator.flush();
  }

  private static void writeText(
      List<Message> resources, Encodings encodings, Writer out, YAMLGenerator yaml)
      throws IOException {
    YamlText text = new YamlText(YamlText.Mode.WRITE, out);
    writeEvents(resources, encodings, text);
    text.finish(yaml);
    yaml.flush();
  }

  /** Whether the document's last line, which YamlText writes through the generator, is one line. */
  private static boolean lastLineIsSure(List<Message> resources) throws IOException {
    YamlText check = new YamlText(YamlText.Mode.CHECK, null);
    writeEvents(
        resources.isEmpty() ? resources : resources.subList(resources.size() - 1, resources.size()),
        Encodings.NONE,
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

  private static void writeEvents(
      List<Message> resources, Encodings encodings, JsonGenerator generator) throws IOException {
    startDocument(generator);
    writeItems(resources, encodings, generator);
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
  private static void writeItems(
      List<Message> resources, Encodings encodings, JsonGenerator generator) throws IOException {
    for (int i = 0; i < resources.size(); i++) {
      Message resource = resources.get(i);
      generator.writeStartObject();
      generator.writeStringField("name", name(resource));
      generator.writeFieldName("resource");
      Descriptor type = resource.getDescriptorForType();
      ProtoJsonStream.writeAny(generator, packedType(type), encodings.take(i, resource));
      generator.writeEndObject();
    }
  }

  private static PackedType packedType(Descriptor type) {
    PackedType packed = PackedType.of(EnvoyNames.typeUrl(type));
    if (packed == null) {
      throw new IllegalStateException("a resource's type is registered: " + type.getFullName());
    }
    return packed;
  }

  private static String name(Message resource) {
    if (resource instanceof Listener listener) {
      return listener.getName();
    } else if (resource instanceof Cluster cluster) {
      return cluster.getName();
    }
    throw new IllegalStateException("a resource is a listener or a cluster");
  }

  /**
   * The encodings of the resources, made once for both the check and the writing when they fit a
   * budget: beyond it a resource is encoded again (a 100,000-entry document's are some 30 MB).
   */
  private static final class Encodings {
    /** Encodes every resource when it is written. */
    static final Encodings NONE = new Encodings(new byte[0][]);

    private static final long BUDGET = 64L << 20;

    private final byte[][] held;

    private Encodings(byte[][] held) {
      this.held = held;
    }

    /**
     * The encodings, after {@link YamlWireCheck} was sure of every resource's strings (its name and
     * type URL too), or null when it was not.
     */
    static @Nullable Encodings checked(List<Message> resources) {
      byte[][] held = new byte[resources.size()][];
      long total = 0;
      for (int i = 0; i < resources.size(); i++) {
        Message resource = resources.get(i);
        Descriptor type = resource.getDescriptorForType();
        byte[] encoding = resource.toByteArray();
        if (!YamlScalars.valueStyle(name(resource)).isSure()
            || !packedType(type).yamlSure()
            || !YamlWireCheck.isSure(type, encoding)) {
          return null;
        }
        total += encoding.length;
        if (total <= BUDGET) {
          held[i] = encoding;
        }
      }
      return new Encodings(held);
    }

    /** The encoding of the {@code index}th resource, let go of once taken. */
    byte[] take(int index, Message resource) {
      byte[] encoding = index < held.length ? held[index] : null;
      if (encoding == null) {
        return resource.toByteArray();
      }
      held[index] = null;
      return encoding;
    }
  }
}
