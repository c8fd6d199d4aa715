package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.core.parse.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code --proxy} file of {@code translate} and {@code resolve}: one file, read as the
 * translator's {@link ProxyContext} and as the resolver's {@link ProxyFile}.
 */
final class ProxyInputs {
  /** The name of the proxy assumed without {@code --proxy}. */
  static final String DEFAULT_NAME = "proxy";
  /** Its one inbound: the port Kuma gives a Kubernetes pod without a Service. */
  static final int DEFAULT_INBOUND = 49151;

  private ProxyInputs() {}

  /**
   * Both readings of one proxy.
   *
   * @param context the translator's view
   * @param selection the resolver's view
   */
  record Proxy(ProxyContext context, ProxyFile selection) {}

  /**
   * The proxy of {@code file}, or without a file the default one: a dual-stack transparent sidecar
   * {@value #DEFAULT_NAME} of mesh {@code default} without labels, with one inbound on {@value
   * #DEFAULT_INBOUND}, on a zone control plane. Empty, after saying why on standard error, when the
   * file cannot be read or is not a proxy file.
   */
  static Optional<Proxy> read(@Nullable Path file, KumaLine line, Streams streams) {
    if (file == null) {
      ProxyFile selection = new ProxyFile(ProxyDescriptor.builder(DEFAULT_NAME, "default").inbound(DEFAULT_INBOUND).build(),
          ControlPlaneContext.zone(line));
      return Optional.of(new Proxy(ProxyContext.defaultTransparentProxy(), selection));
    }
    try {
      String text = readBounded(file);
      return Optional.of(new Proxy(ProxyContext.parse(text, file.toString()), ProxyFile.parse(text, file.toString(), line)));
    } catch (IOException e) {
      streams.err().println("meshpassthrough: cannot read the proxy context " + file + ": " + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
    } catch (IllegalArgumentException e) {
      streams.err().println("meshpassthrough: invalid proxy context: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * The file's text, read as a stream no further than the policies' byte limit: a named pipe or a
   * device is read like a file, and an endless one stops at the limit instead of filling memory.
   */
  private static String readBounded(Path file) throws IOException {
    int limit = ParseLimits.defaults().maxInputBytes();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(limit);
      if (bytes.length == limit && in.read() != -1) {
        throw new IOException("larger than " + limit + " bytes, the limit of an input");
      }
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IOException("not valid UTF-8", e);
      }
    }
  }
}
