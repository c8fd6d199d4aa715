package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.envoy.ProxyContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code --proxy} file of {@code translate}, {@code resolve} and {@code explain}: one
 * reading gives the selection view and the translator's view ({@link ProxyContext}).
 */
final class ProxyInputs {
  private ProxyInputs() {}

  /**
   * The proxy of {@code file}, or without a file {@link ProxyContext#defaultTransparentProxy()}: a
   * dual-stack transparent sidecar {@value ProxyContext#DEFAULT_NAME} of mesh {@code default}
   * without labels, with one inbound on {@value ProxyContext#DEFAULT_INBOUND}, on a zone control
   * plane. Empty, after saying why on standard error, when the file cannot be read or is not a
   * proxy file.
   */
  static Optional<ProxyContext> read(@Nullable Path file, Streams streams) {
    if (file == null) {
      return Optional.of(ProxyContext.defaultTransparentProxy());
    }
    try {
      return Optional.of(ProxyContext.parse(readBounded(file), file.toString()));
    } catch (IOException e) {
      streams
          .err()
          .println(
              "meshpassthrough: cannot read the proxy context "
                  + file
                  + ": "
                  + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
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
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw new IOException("not valid UTF-8", e);
      }
    }
  }
}
