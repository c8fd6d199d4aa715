package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.resolve.internal.ProxyFileReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The selection part of a proxy file: the proxy and the control-plane context. The same file, in
 * the schema of the translate corpus's {@code proxy.yaml} extended for selection, gives the
 * envoy-translator's {@code ProxyContext} its part (addresses and existing Envoy resources).
 *
 * <p>What is read from where:
 *
 * <ul>
 *   <li>{@code dataplane.name}, {@code .mesh} (else {@code mesh.name}, else {@code default}),
 *       {@code .labels} (stored labels), {@code .inbounds[]} ({@code port}, {@code name}, {@code
 *       tags}; {@code address} is accepted), {@code .gateway} ({@code none}, {@code delegated},
 *       {@code builtin}), {@code .gatewayTags}, {@code .listeners[]} ({@code name}, {@code port}),
 *       {@code .transparentProxy} (the corpus's object, on when a redirect port is set and, in
 *       {@code ipv4} mode, {@code .address} is IPv4; or {@code true}/{@code false});
 *   <li>{@code proxy.features}: {@code feature-bind-outbounds} means the proxy binds its outbounds;
 *   <li>{@code context.controlPlane} ({@code zone}, {@code global}), {@code .environment} ({@code
 *       kubernetes}, {@code universal}), {@code .zone}, {@code .systemNamespace}, {@code
 *       .meshPassthroughFlag} (Kuma 2.x; {@code mesh.passthrough} is the same switch, absent means
 *       on).
 * </ul>
 *
 * <p>Unknown fields are errors, except below {@code existing} and {@code mesh.spec}, which belong
 * to the translator's reader.
 *
 * @param proxy the proxy
 * @param context the control plane, with the Kuma line the caller chose
 */
public record ProxyFile(ProxyDescriptor proxy, ControlPlaneContext context) {
  /**
   * Checks for null.
   *
   * @param proxy the proxy, never null
   * @param context the control plane, never null
   * @throws NullPointerException when a component is null
   */
  public ProxyFile {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(context, "context");
  }

  /**
   * Reads a proxy file (YAML or JSON).
   *
   * @param text the document, never null
   * @param sourceName names the document in error messages, for example a file name; never null
   * @param line the Kuma line of the control plane, never null; it is not read from the file
   * @return the proxy and its control-plane context
   * @throws IllegalArgumentException when the text is not such a document; the message names the
   *     source and the field
   */
  public static ProxyFile parse(String text, String sourceName, KumaLine line) {
    ProxyFileReader.Read read = ProxyFileReader.read(text, sourceName, line);
    return new ProxyFile(read.proxy(), read.context());
  }

  /**
   * Reads a proxy file; see {@link #parse(String, String, KumaLine)}.
   *
   * @param file the file to read as UTF-8, never null; its path names it in error messages
   * @param line the Kuma line of the control plane, never null
   * @return the proxy and its control-plane context
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not such a document
   */
  public static ProxyFile read(Path file, KumaLine line) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), line);
  }
}
