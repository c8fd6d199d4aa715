package dev.meshpassthrough.envoy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.envoy.internal.NameOrder;
import dev.meshpassthrough.envoy.internal.ResourceDocument;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Every listener and cluster of one proxy after the policy applied, and notes on what the
 * translation did or could not do.
 *
 * <p>Immutable. The resource lists are sorted by name (code point order, which is byte order in
 * UTF-8), so they can be handed to java-control-plane's {@code Snapshot} unchanged and compared
 * across runs.
 *
 * @param listeners every listener, sorted by name
 * @param clusters every cluster, sorted by name
 * @param notes non-fatal observations, in the order the translation made them: problems of severity
 *     {@code NOTE} or {@code WARNING} with a stable rule id starting with {@code translate.}
 *     (listed in {@code docs/translation-rules.md}), naming no policy
 */
public record TranslationResult(
    List<Listener> listeners, List<Cluster> clusters, List<Problem> notes) {

  /**
   * Copies the lists, sorting the resources by name.
   *
   * @param listeners every listener, in any order; sorted by name into an unmodifiable copy; not
   *     null, nor any element
   * @param clusters every cluster, in any order; sorted by name into an unmodifiable copy; not
   *     null, nor any element
   * @param notes non-fatal observations, in the order the translation made them; copied as given;
   *     not null, nor any element
   */
  public TranslationResult {
    listeners = NameOrder.sorted(listeners, Listener::getName);
    clusters = NameOrder.sorted(clusters, Cluster::getName);
    notes = List.copyOf(notes);
  }

  /**
   * The listener called {@code name}, if any.
   *
   * @param name the listener's exact name, compared case-sensitively
   * @return the first listener of that name, or empty when there is none; never null
   */
  public Optional<Listener> listener(String name) {
    return listeners.stream().filter(l -> l.getName().equals(name)).findFirst();
  }

  /**
   * The cluster called {@code name}, if any.
   *
   * @param name the cluster's exact name, compared case-sensitively
   * @return the first cluster of that name, or empty when there is none; never null
   */
  public Optional<Cluster> cluster(String name) {
    return clusters.stream().filter(c -> c.getName().equals(name)).findFirst();
  }

  /**
   * The resources as one JSON document {@code {"resources": [{"name": N, "resource": {"@type": ...,
   * ...}}]}}, listeners first and then clusters, each group sorted by name; every resource in
   * Envoy's proto3 JSON form (lowerCamelCase names, default values omitted). Indented with two
   * spaces, ending without a newline. Equal results give byte-identical text.
   *
   * <p>The text is about three bytes per byte of the resources' protobuf encoding, all in memory:
   * for big results, stream the document with {@link #writeTo(JsonGenerator)} instead.
   *
   * @return the JSON document, never null
   */
  public String toJson() {
    return ResourceDocument.toJson(this);
  }

  /**
   * Writes the document of {@link #toJson()} to {@code generator} as a stream of events, one
   * resource at a time, so that neither the document nor a resource is ever held as text or as a
   * tree. The text is the same as writing the events of the document's tree: a JSON generator with
   * Jackson's default pretty printer writes exactly the text of {@link #toJson()}, and a YAML
   * generator the same tree as YAML. A YAML generator with the CLI's settings (no document start
   * marker, minimised quotes, number-like strings quoted) that has written nothing yet receives
   * only the document's last line as events: the rest goes to its writer as the text it would have
   * written (SnakeYAML's emitter was most of the cost of printing YAML). Likewise a JSON generator
   * found to write what the library's own JSON text writer does (Jackson's, with its default pretty
   * printer and escaping, as the CLI's) receives only the document's frame as events, flushed
   * before the resources' text goes to its writer. Flushes the generator at the end; does not close
   * it.
   *
   * @param generator where to write the document, positioned where a value may start; not null
   * @throws IOException when the generator cannot write
   */
  public void writeTo(JsonGenerator generator) throws IOException {
    ResourceDocument.write(this, generator);
  }

  /**
   * Writes the document of {@link #toJson()} to {@code out} as UTF-8 text in {@code format}, one
   * resource at a time: the bytes of the text {@link #writeTo(JsonGenerator)} writes to a closed
   * generator of that format with the CLI's settings (see {@link TextFormat}), without a generator
   * or a writer in between where the text is ASCII, which is faster than writing through a writer
   * (the CLI's {@code translate} writes so). Flushes {@code out} at the end; does not close it.
   *
   * @param out where to write the document, UTF-8; not null
   * @param format the document's text form; not null
   * @throws IOException when {@code out} cannot be written
   */
  public void writeTo(OutputStream out, TextFormat format) throws IOException {
    ResourceDocument.write(this, out, format);
  }

  /**
   * The text forms of the resource document that {@link #writeTo(OutputStream, TextFormat)} writes
   * as UTF-8 bytes.
   */
  public enum TextFormat {
    /**
     * Indented JSON: exactly the text of {@link TranslationResult#toJson()}, which a Jackson JSON
     * generator with its default pretty printer writes for the document (the CLI's {@code --output
     * json}).
     */
    JSON,

    /**
     * YAML: exactly the text a Jackson YAML generator writes for the document's events, up to and
     * including what it writes when closed, with the CLI's settings ({@code --output yaml}): no
     * document start marker, minimised quotes, strings that look like numbers quoted, block style,
     * indented two spaces.
     */
    YAML
  }

  /**
   * The resources of a proxy the policy does not change: its own listeners and clusters, without
   * notes.
   *
   * @param proxy the proxy
   * @return its resources, sorted by name
   */
  public static TranslationResult unchanged(ProxyContext proxy) {
    return new TranslationResult(
        proxy.listeners().stream().map(ProxyContext.ExistingListener::listener).toList(),
        proxy.clusters().stream().map(ProxyContext.ExistingCluster::cluster).toList(),
        List.of());
  }

  /**
   * A version of the resources' content, for an xDS snapshot: a hex SHA-256 of every listener and
   * cluster (type URL, name and deterministic protobuf bytes, in the order of {@link #listeners()}
   * then {@link #clusters()}). Equal resources give equal versions, in every run and on every JVM
   * with the same protobuf-java major version; notes do not count. Use it as the snapshot version
   * so that an unchanged translation pushes nothing.
   *
   * @return 64 lower-case hex digits
   */
  public String contentVersion() {
    return ContentVersion.of(listeners, clusters);
  }

  /**
   * The content version of the listeners alone, for a snapshot versioned per resource type.
   *
   * @return 64 lower-case hex digits; see {@link #contentVersion()}
   */
  public String listenersVersion() {
    return ContentVersion.of(listeners, List.of());
  }

  /**
   * The content version of the clusters alone, for a snapshot versioned per resource type.
   *
   * @return 64 lower-case hex digits; see {@link #contentVersion()}
   */
  public String clustersVersion() {
    return ContentVersion.of(List.of(), clusters);
  }

  /**
   * A registry of every message type the resources may pack in {@code Any} (the translator's
   * filters and every type a proxy file's resources may use), so that {@code JsonFormat} can print
   * them: {@code
   * JsonFormat.printer().usingTypeRegistry(TranslationResult.typeRegistry()).print(listener)}.
   *
   * @return the registry, shared and immutable
   */
  public static JsonFormat.TypeRegistry typeRegistry() {
    return ResourceDocument.typeRegistry();
  }
}
