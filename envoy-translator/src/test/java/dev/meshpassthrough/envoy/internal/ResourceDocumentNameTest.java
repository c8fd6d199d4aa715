package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The item's name is taken from a resource's encoding ({@link ResourceDocument#asciiNameLength})
 * exactly when the encoding starts with the whole name, ASCII but for {@code ?} (a lone surrogate
 * encoded), in a one-byte length: listeners and clusters alike (both have the name as field 1),
 * with other fields after it.
 */
class ResourceDocumentNameTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 40, 127, 128, 300})
  void anAsciiName_isReadFromTheEncodingWhenItsLengthIsOneByte(int length) {
    String name = "n".repeat(length);
    byte[] listener =
        Listener.newBuilder().setName(name).setStatPrefix("after").build().toByteArray();
    byte[] cluster =
        Cluster.newBuilder().setName(name).setAltStatName("after").build().toByteArray();
    int expected = length < 128 ? length : 0;
    for (byte[] encoding : new byte[][] {listener, cluster}) {
      int read = ResourceDocument.asciiNameLength(encoding);
      assertThat(read).isEqualTo(expected);
      assertThat(new String(encoding, 2, read, StandardCharsets.US_ASCII))
          .isEqualTo(name.substring(0, read));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"é", "name-é", "\ud800", "a?b"})
  void aNameThatIsNotAscii_isNotReadFromTheEncoding(String name) {
    assertThat(
            ResourceDocument.asciiNameLength(
                Cluster.newBuilder().setName(name).build().toByteArray()))
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void anEncodingWithoutAName_givesNone(int bytes) {
    // No name: the encoding starts with another field, or is too short to hold one.
    byte[] encoding =
        bytes == 2
            ? Cluster.newBuilder().setAltStatName("x").build().toByteArray()
            : new byte[bytes];
    assertThat(ResourceDocument.asciiNameLength(encoding)).isZero();
    // A length past the end of a truncated encoding.
    byte[] truncated = Listener.newBuilder().setName("abc").build().toByteArray();
    assertThat(
            ResourceDocument.asciiNameLength(
                java.util.Arrays.copyOf(truncated, truncated.length - 1)))
        .isZero();
  }
}
