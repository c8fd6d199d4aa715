package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a control plane needs to hand a translation to java-control-plane: versions and a type
 * registry.
 */
class XdsHandOffTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final PassthroughConf EVERY_PROTOCOL =
      PassthroughConf.of(
          PassthroughMode.MATCHED,
          List.of(
              Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
              Match.of(Destination.of(MatchType.DOMAIN, "web.example.com"), 80, Protocol.HTTP),
              Match.of(Destination.of(MatchType.DOMAIN, "h2.example.com"), 8080, Protocol.HTTP2),
              Match.of(Destination.of(MatchType.DOMAIN, "rpc.example.com"), 9090, Protocol.GRPC),
              Match.of(Destination.of(MatchType.CIDR, "10.0.0.0/8"), 3306, Protocol.MYSQL),
              Match.of(Destination.of(MatchType.IP, "192.168.1.1"), 5432, Protocol.TCP)));

  private static List<TranslationResult> everyEncoding(PassthroughConf conf) {
    return List.of(
        PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA))
            .translate(conf, PROXY),
        PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.EXACT))
            .translate(conf, PROXY),
        PassthroughTranslator.create(
                TranslatorOptions.of(TranslationProfile.EXACT).withEncoding(Encoding.MATCHER))
            .translate(conf, PROXY));
  }

  @Test
  void equalResources_haveEqualVersions_whateverBuiltThem() {
    TranslationResult once = PassthroughTranslator.create().translate(EVERY_PROTOCOL, PROXY);
    TranslationResult again = PassthroughTranslator.create().translate(EVERY_PROTOCOL, PROXY);
    TranslationResult reordered =
        new TranslationResult(reversed(once.listeners()), reversed(once.clusters()), List.of());

    assertThat(again.contentVersion())
        .isEqualTo(once.contentVersion())
        .hasSize(64)
        .matches("[0-9a-f]{64}");
    assertThat(reordered.contentVersion())
        .as("the lists are sorted by name, notes do not count")
        .isEqualTo(once.contentVersion());
    assertThat(reordered.listenersVersion()).isEqualTo(once.listenersVersion());
    assertThat(reordered.clustersVersion()).isEqualTo(once.clustersVersion());
  }

  @Test
  void differentResources_haveDifferentVersions() {
    TranslationResult matched = PassthroughTranslator.create().translate(EVERY_PROTOCOL, PROXY);
    TranslationResult none =
        PassthroughTranslator.create(TranslatorOptions.of(TranslationProfile.KUMA))
            .translate(PassthroughConf.of(PassthroughMode.NONE, List.of()), PROXY);
    TranslationResult unchanged = TranslationResult.unchanged(PROXY);

    assertThat(List.of(matched.contentVersion(), none.contentVersion(), unchanged.contentVersion()))
        .doesNotHaveDuplicates();
    assertThat(none.listenersVersion())
        .as("the kuma profile's mode None keeps the listeners")
        .isEqualTo(unchanged.listenersVersion());
    assertThat(none.clustersVersion()).isNotEqualTo(unchanged.clustersVersion());
    assertThat(matched.listenersVersion()).isNotEqualTo(matched.clustersVersion());
  }

  @Test
  void theVersionOfNoResources_isTheHashOfNothing() {
    TranslationResult empty = new TranslationResult(List.of(), List.of(), List.of());

    // SHA-256 of the empty input: a fixed point that any JVM must agree on.
    assertThat(empty.contentVersion())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void theTypeRegistry_knowsEveryTypePackedInAny_ofEveryProfileAndEncoding() {
    JsonFormat.Printer printer =
        JsonFormat.printer().usingTypeRegistry(TranslationResult.typeRegistry());
    List<String> packed = new ArrayList<>();
    for (TranslationResult result : everyEncoding(EVERY_PROTOCOL)) {
      for (Listener listener : result.listeners()) {
        collectAny(listener, packed);
        assertThatCode(() -> printer.print(listener)).doesNotThrowAnyException();
      }
      result
          .clusters()
          .forEach(c -> assertThatCode(() -> printer.print(c)).doesNotThrowAnyException());
    }

    assertThat(packed)
        .isNotEmpty()
        .allSatisfy(
            typeUrl ->
                assertThat(TranslationResult.typeRegistry().find(fullName(typeUrl)))
                    .as(typeUrl)
                    .isNotNull());
    assertThat(packed)
        .anyMatch(t -> t.endsWith("HttpConnectionManager"))
        .anyMatch(t -> t.endsWith("TcpProxy"))
        .anyMatch(t -> t.endsWith("TlsInspector"));
  }

  @Test
  void withoutTheRegistry_JsonFormatCannotPrintTheOutput() {
    Listener listener =
        PassthroughTranslator.create().translate(EVERY_PROTOCOL, PROXY).listeners().get(0);

    assertThatCode(() -> JsonFormat.printer().print(listener))
        .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> out = new ArrayList<>(list);
    java.util.Collections.reverse(out);
    return out;
  }

  private static String fullName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  private static void collectAny(Message message, List<String> out) {
    if (message instanceof Any any) {
      out.add(any.getTypeUrl());
      Message unpacked;
      try {
        unpacked =
            com.google.protobuf.DynamicMessage.parseFrom(
                TranslationResult.typeRegistry().find(fullName(any.getTypeUrl())), any.getValue());
      } catch (Exception e) {
        throw new AssertionError("cannot unpack " + any.getTypeUrl(), e);
      }
      collectAny(unpacked, out);
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object element : (List<?>) field.getValue()) {
          collectAny((Message) element, out);
        }
      } else {
        collectAny((Message) field.getValue(), out);
      }
    }
  }
}
