package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Message;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

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
   * of; any other generator gets the events.
   */
  public static void write(TranslationResult result, JsonGenerator generator) throws IOException {
    if (generator instanceof YAMLGenerator yaml && isCliYaml(yaml)) {
      YamlText check = new YamlText(YamlText.Mode.CHECK, null);
      writeEvents(result, check);
      if (check.isSure()) {
        YamlText text = check.writerOf((Writer) yaml.getOutputTarget());
        writeEvents(result, text);
        text.finish(yaml);
        yaml.flush();
        return;
      }
    }
    writeEvents(result, generator);
    generator.flush();
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

  private static void writeEvents(TranslationResult result, JsonGenerator generator)
      throws IOException {
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
