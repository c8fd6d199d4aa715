package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.validation.KumaVersion;
import java.io.IOException;
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

  /** The Kuma line of {@code --kuma-version}. */
  static KumaLine line(KumaVersion version) {
    return switch (version) {
      case V2 -> KumaLine.V2;
      case V3 -> KumaLine.V3;
    };
  }

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
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return Optional.of(new Proxy(ProxyContext.parse(text, file.toString()), ProxyFile.parse(text, file.toString(), line)));
    } catch (IOException e) {
      streams.err().println("meshpassthrough: cannot read the proxy context " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      streams.err().println("meshpassthrough: invalid proxy context: " + e.getMessage());
    }
    return Optional.empty();
  }
}
