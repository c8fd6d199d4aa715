package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link YamlWireCheck} is sure of a resource only when {@link YamlText}, given the resource's
 * events, is sure of every scalar too (it may decline more), and is sure of the strings a
 * translation holds.
 */
class YamlWireCheckTest {
  static Stream<String> awkward() {
    return YamlTextTest.awkward();
  }

  @ParameterizedTest
  @MethodSource("awkward")
  void sureOfAResource_onlyWhenYamlTextIsSureOfItsEvents(String text) throws IOException {
    Cluster cluster =
        Cluster.newBuilder()
            .setName("name")
            .setAltStatName(text)
            .putTypedExtensionProtocolOptions(
                text.isEmpty() ? "x" : text, Any.pack(StringValue.of(text)))
            .build();
    if (YamlWireCheck.isSure(cluster.getDescriptorForType(), cluster.toByteArray())) {
      assertThat(eventsAreSure(cluster)).as(text).isTrue();
    }
  }

  @Test
  void stringsOfATranslation_areSure() {
    for (String text : YamlTextTest.COMMON) {
      Cluster cluster =
          Cluster.newBuilder()
              .setName(text)
              .putTypedExtensionProtocolOptions(text, Any.pack(StringValue.of(text)))
              .build();
      assertThat(YamlWireCheck.isSure(cluster.getDescriptorForType(), cluster.toByteArray()))
          .as(text)
          .isTrue();
    }
  }

  @Test
  void aQuoteAKeyWithASpaceOrAStruct_areDeclined() {
    for (Cluster cluster :
        new Cluster[] {
          Cluster.newBuilder().setAltStatName("a\"b").build(),
          Cluster.newBuilder()
              .putTypedExtensionProtocolOptions("a b", Any.getDefaultInstance())
              .build(),
          Cluster.newBuilder()
              .setMetadata(
                  Metadata.newBuilder()
                      .putFilterMetadata(
                          "f",
                          Struct.newBuilder()
                              .putFields("k", Value.newBuilder().setStringValue("v").build())
                              .build()))
              .build()
        }) {
      assertThat(YamlWireCheck.isSure(cluster.getDescriptorForType(), cluster.toByteArray()))
          .as(cluster.toString())
          .isFalse();
    }
  }

  @Test
  void quotelessAscii_isCheckedInEveryPositionOfAWord() {
    byte[] bytes = "abcdefghijklmnopqrstuvwxyz0123".getBytes(StandardCharsets.UTF_8);
    assertThat(YamlWireCheck.isQuotelessAscii(bytes, 0, bytes.length, ' ')).isTrue();
    for (byte bad : new byte[] {'"', '\\', 0x7f, '\n', (byte) 0xc3, 0}) {
      for (int at = 0; at < bytes.length; at++) {
        byte[] mutated = bytes.clone();
        mutated[at] = bad;
        assertThat(YamlWireCheck.isQuotelessAscii(mutated, 0, mutated.length, ' '))
            .as("%d at %d", bad, at)
            .isFalse();
      }
    }
    byte[] spaced = "abcdefgh ijk".getBytes(StandardCharsets.UTF_8);
    assertThat(YamlWireCheck.isQuotelessAscii(spaced, 0, spaced.length, ' ')).isTrue();
    assertThat(YamlWireCheck.isQuotelessAscii(spaced, 0, spaced.length, '!')).isFalse();
  }

  @Test
  void packedTypes_areFoundByTextOrBytes_andOnlyWhenRegistered() {
    String url = "type.googleapis.com/google.protobuf.StringValue";
    PackedType byText = Objects.requireNonNull(PackedType.of(url));
    byte[] bytes = ("<" + url + ">").getBytes(StandardCharsets.UTF_8);
    PackedType byBytes = PackedType.of(bytes, 1, bytes.length - 2);
    assertThat(byBytes).isSameAs(byText);
    assertThat(PackedType.of(bytes, 1, bytes.length - 2)).isSameAs(byText);
    assertThat(PackedType.of(bytes, 1, bytes.length - 3)).isNull();
    assertThat(byText.type()).isEqualTo(StringValue.getDescriptor());
    assertThat(byText.url().getValue()).isEqualTo(url);
    assertThat(PackedType.of("type.googleapis.com/not.a.Type")).isNull();
    byte[] unknown = "x/y.Z".getBytes(StandardCharsets.UTF_8);
    assertThat(PackedType.of(unknown, 0, unknown.length)).isNull();
  }

  /** Whether YamlText checking the cluster's events as a document is sure of every scalar. */
  private static boolean eventsAreSure(Cluster cluster) throws IOException {
    YamlText check = YamlText.checker();
    check.writeStartArray();
    ProtoJsonStream.writeAny(
        check,
        Objects.requireNonNull(PackedType.of(EnvoyNames.typeUrl(cluster.getDescriptorForType()))),
        cluster.toByteArray());
    // A last line that is one line, so that only the scalars count.
    check.writeNumber(1);
    check.writeEndArray();
    return check.isSure();
  }
}
