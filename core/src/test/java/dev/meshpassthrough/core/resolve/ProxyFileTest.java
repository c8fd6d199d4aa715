package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The selection part of the proxy file: the corpus files as they are, and the fields added for
 * selection.
 */
class ProxyFileTest {
  private static final Path CORPUS =
      Path.of("../envoy-translator/src/test/resources/conformance/kuma/translate");

  static Stream<Path> corpusProxies() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs.map(d -> d.resolve("proxy.yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusProxies")
  void corpusFiles_readUnchanged_asATransparentSidecarOfMeshDefault(Path file) throws IOException {
    ProxyFile read = ProxyFile.read(file, KumaLine.V2);

    assertThat(read.proxy().name()).isEqualTo("test");
    assertThat(read.proxy().mesh()).isEqualTo("default");
    assertThat(read.proxy().inbounds())
        .extracting(ProxyDescriptor.Inbound::port)
        .containsExactly(17777);
    assertThat(read.proxy().outbound()).isEqualTo(ProxyDescriptor.Outbound.TRANSPARENT_PROXY);
    assertThat(read.context()).isEqualTo(ControlPlaneContext.zone(KumaLine.V2));
  }

  @Test
  void selectionFields_areRead() {
    String text =
        """
        dataplane:
          name: web-0.shop
          mesh: payments
          labels: {app: web, kuma.io/display-name: web-0, k8s.kuma.io/namespace: shop, kuma.io/zone: zone-1, version: 2}
          address: 10.0.0.5
          inbounds:
          - {address: 10.0.0.5, port: 8080, name: http, tags: {kuma.io/service: web}}
          - {port: 49151}
          gateway: delegated
          gatewayTags: {kuma.io/service: edge}
          listeners: [{name: ingress, port: 10001}]
          transparentProxy: true
        context:
          controlPlane: global
          environment: kubernetes
          zone: zone-1
          systemNamespace: kuma-system
          meshPassthroughFlag: false
        """;

    ProxyFile read = ProxyFile.parse(text, "p.yaml", KumaLine.V3);

    ProxyDescriptor proxy = read.proxy();
    assertThat(proxy.displayName()).isEqualTo("web-0");
    assertThat(proxy.namespace()).contains("shop");
    assertThat(proxy.zone()).contains("zone-1");
    assertThat(proxy.labels()).containsEntry("version", "2");
    assertThat(proxy.inbounds())
        .extracting(ProxyDescriptor.Inbound::sectionName)
        .containsExactly("http", "49151");
    assertThat(proxy.inbounds().get(0).tags()).isEqualTo(Map.of("kuma.io/service", "web"));
    assertThat(proxy.gateway()).isEqualTo(ProxyDescriptor.GatewayKind.DELEGATED);
    assertThat(proxy.gatewayTags()).containsEntry("kuma.io/service", "edge");
    assertThat(proxy.listeners())
        .containsExactly(new ProxyDescriptor.ZoneProxyListener("ingress", 10001));
    assertThat(read.context())
        .isEqualTo(
            new ControlPlaneContext(
                KumaLine.V3,
                ControlPlaneContext.Scope.GLOBAL,
                ControlPlaneContext.Environment.KUBERNETES,
                Optional.of("zone-1"),
                Optional.of("kuma-system"),
                ControlPlaneContext.MeshPassthroughSwitch.OFF));
  }

  @Test
  void transparentProxy_followsTheTranslatorsRule_andBindOutboundsWins() {
    assertThat(
            outbound(
                "dataplane: {address: 10.0.0.1, transparentProxy: {redirectPortOutbound: 15001, ipFamilyMode: ipv4}}"))
        .isEqualTo(ProxyDescriptor.Outbound.TRANSPARENT_PROXY);
    assertThat(
            outbound(
                "dataplane: {address: 'fd00::1', transparentProxy: {redirectPortOutbound: 15001, ipFamilyMode: ipv4}}"))
        .isEqualTo(ProxyDescriptor.Outbound.NO_TRANSPARENT_PROXY);
    // Ports left out are Kuma's defaults, as the 3.x corpus writes its proxies.
    assertThat(outbound("dataplane: {transparentProxy: {ipFamilyMode: dualstack}}"))
        .isEqualTo(ProxyDescriptor.Outbound.TRANSPARENT_PROXY);
    assertThat(outbound("dataplane: {transparentProxy: false}"))
        .isEqualTo(ProxyDescriptor.Outbound.NO_TRANSPARENT_PROXY);
    assertThat(outbound("dataplane: {}")).isEqualTo(ProxyDescriptor.Outbound.NO_TRANSPARENT_PROXY);
    assertThat(
            outbound(
                "dataplane: {transparentProxy: true}\nproxy: {features: [feature-bind-outbounds]}"))
        .isEqualTo(ProxyDescriptor.Outbound.BIND_OUTBOUNDS);
  }

  @Test
  void theMeshSwitch_isReadFromEitherPlace_butTwoValuesMustAgree() {
    assertThat(
            ProxyFile.parse("mesh: {passthrough: false}", "p.yaml", KumaLine.V2)
                .context()
                .meshPassthrough())
        .isEqualTo(ControlPlaneContext.MeshPassthroughSwitch.OFF);
    assertThat(
            ProxyFile.parse("mesh: {passthrough: null}", "p.yaml", KumaLine.V2)
                .context()
                .meshPassthrough())
        .isEqualTo(ControlPlaneContext.MeshPassthroughSwitch.ON);
    assertThatThrownBy(
            () ->
                ProxyFile.parse(
                    "mesh: {passthrough: false}\ncontext: {meshPassthroughFlag: true}",
                    "p.yaml",
                    KumaLine.V2))
        .hasMessage(
            "p.yaml:2:11: context.meshPassthroughFlag: is true but mesh.passthrough is false: write one of them, or the same value");
    assertThatThrownBy(
            () -> ProxyFile.parse("dataplane: {mesh: a}\nmesh: {name: b}", "p.yaml", KumaLine.V2))
        .hasMessageStartingWith("p.yaml:1:13: dataplane.mesh: is a but mesh.name is b");
  }

  @Test
  void mistakes_areNamedWithTheirPath() {
    List<Map.Entry<String, String>> cases =
        List.of(
            Map.entry(
                "dataplane: {lables: {}}",
                "p.yaml:1:13: dataplane.lables: unknown field; known here: address, gateway, gatewayTags, inbounds, "
                    + "labels, listeners, mesh, name, transparentProxy"),
            Map.entry(
                "context: {controlPlane: regional}",
                "p.yaml:1:11: context.controlPlane: must be one of zone, global, got 'regional'"),
            Map.entry(
                "dataplane: {gateway: ingress}",
                "p.yaml:1:13: dataplane.gateway: must be one of none, delegated, builtin, got 'ingress'"),
            Map.entry(
                "dataplane: {inbounds: [{name: x}]}",
                "p.yaml:1:24: dataplane.inbounds[0].port: is required"),
            Map.entry(
                "dataplane: {inbounds: [{port: 0}]}",
                "p.yaml:1:25: dataplane.inbounds[0].port: must be a port, 1-65535"),
            Map.entry(
                "dataplane: {labels: {app: [web]}}",
                "p.yaml:1:22: dataplane.labels.app: must be a string"),
            Map.entry(
                "context: {meshPassthroughFlag: 'no'}",
                "p.yaml:1:11: context.meshPassthroughFlag: must be true or false"),
            Map.entry("- a", "p.yaml:1:1: the document: must be a mapping"),
            Map.entry(
                "dataplane: {name: a, name: b}",
                "p.yaml:1:26: not a YAML or JSON document: Duplicate field 'name'"));
    for (Map.Entry<String, String> kase : cases) {
      assertThatThrownBy(() -> ProxyFile.parse(kase.getKey(), "p.yaml", KumaLine.V2))
          .as(kase.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(kase.getValue());
    }
  }

  @Test
  void nonAsciiAddresses_areRejectedWithTheCharacterAndPath() {
    Map<String, String> cases =
        Map.of(
            "dataplane: {address: \"\uFF110.0.0.5\"}",
                "dataplane.address: '\uFF110.0.0.5' has U+FF11 FULLWIDTH DIGIT ONE at position 1",
            "dataplane: {inbounds: [{port: 80, address: \"10.0.0.\u0665\"}]}",
                "dataplane.inbounds[0].address: '10.0.0.\u0665' has U+0665 ARABIC-INDIC DIGIT FIVE at position 8",
            "proxy: {internalAddresses: [\"10.0.0.0/\uFF18\"]}",
                "proxy.internalAddresses[0]: '10.0.0.0/\uFF18' has U+FF18 FULLWIDTH DIGIT EIGHT at position 10");
    for (Map.Entry<String, String> kase : cases.entrySet()) {
      assertThatThrownBy(() -> ProxyFile.parse(kase.getKey(), "p.yaml", KumaLine.V2))
          .as(kase.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("p.yaml:1:")
          .hasMessageContaining(kase.getValue());
    }
  }

  @Test
  void anEmptyFile_isAnUnnamedProxyOfMeshDefaultWithoutInbounds() {
    ProxyFile read = ProxyFile.parse("", "p.yaml", KumaLine.V3);

    assertThat(read.proxy())
        .isEqualTo(
            ProxyDescriptor.builder("", "default")
                .outbound(ProxyDescriptor.Outbound.NO_TRANSPARENT_PROXY)
                .build());
  }

  private static ProxyDescriptor.Outbound outbound(String text) {
    return ProxyFile.parse(text, "p.yaml", KumaLine.V3).proxy().outbound();
  }

  @Test
  void unknownYamlTag_isRefusedWithItsLocation_standardTagsAreRead() {
    assertThatThrownBy(
            () -> ProxyFile.parse("dataplane:\n  labels: {app: !App web}\n", "p.yaml", KumaLine.V2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "p.yaml:2:17: dataplane.labels.app: YAML tag !App is not read here: only YAML's standard tags are (!!str, "
                + "!!int, !!float, !!bool, !!null, !!map, !!seq, ...); write the value without the tag");
    assertThatThrownBy(() -> ProxyFile.parse("!Proxy\ndataplane: {}\n", "p.yaml", KumaLine.V2))
        .hasMessageStartingWith("p.yaml:1:1: the document: YAML tag !Proxy is not read here");
    assertThat(
            ProxyFile.parse(
                    "dataplane: !!map {name: !!str web, inbounds: [{port: !!int '80'}]}",
                    "p.yaml",
                    KumaLine.V2)
                .proxy()
                .name())
        .isEqualTo("web");
  }
}
