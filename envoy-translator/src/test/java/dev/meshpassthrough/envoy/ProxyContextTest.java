package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyContextTest {
  private static final String MINIMAL =
      """
      dataplane:
        address: 10.0.0.7
        transparentProxy: {redirectPortOutbound: 15001, redirectPortInbound: 15006, ipFamilyMode: ipv4}
      existing:
        listeners:
        - name: self_transparentproxy_passthrough_outbound_ipv4
          envoy:
            name: self_transparentproxy_passthrough_outbound_ipv4
            address: {socketAddress: {address: 0.0.0.0, portValue: 15001}}
      """;

  static List<Path> corpusCases() {
    return KumaCorpus.cases("translate");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusCases")
  void corpusProxies_readAsTransparentProxiesWithoutIpv6(Path dir) throws IOException {
    ProxyContext proxy = ProxyContext.read(dir.resolve("proxy.yaml"));

    assertThat(proxy.transparentProxyEnabled()).isTrue();
    assertThat(proxy.ipv6Enabled()).isFalse();
    assertThat(proxy.internalAddresses()).isEmpty();
    assertThat(proxy.listeners())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.origin()).isEqualTo("transparent"));
  }

  @Test
  void minimalDocument_defaultsTheRest() {
    ProxyContext proxy = ProxyContext.parse(MINIMAL, "min.yaml");

    assertThat(proxy.dataplaneAddress()).isEqualTo("10.0.0.7");
    assertThat(proxy.transparentProxyEnabled()).isTrue();
    assertThat(proxy.features()).isEmpty();
    assertThat(proxy.clusters()).isEmpty();
    Listener listener = proxy.listeners().get(0).listener();
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(15001);
  }

  @Test
  void unknownField_isNamedWithItsPath() {
    assertThatThrownBy(() -> ProxyContext.parse("proxy:\n  ipv6Enable: true\n", "p.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("p.yaml:2:3: proxy.ipv6Enable: unknown field");
  }

  @Test
  void envoyBlockWithAnotherType_isRejected() {
    String text =
        """
        existing:
          clusters:
          - envoy: {'@type': type.googleapis.com/envoy.config.listener.v3.Listener, name: x}
        """;
    assertThatThrownBy(() -> ProxyContext.parse(text, "p.yaml"))
        .hasMessageContaining(
            "existing.clusters[0].envoy: @type is 'type.googleapis.com/envoy.config.listener.v3.Listener'");
  }

  @Test
  void envoyBlockWithAnUnknownProtoField_isRejected() {
    String text = "existing:\n  clusters:\n  - envoy: {name: x, connectTimeoutz: 5s}\n";
    assertThatThrownBy(() -> ProxyContext.parse(text, "p.yaml"))
        .hasMessageContaining("existing.clusters[0].envoy:")
        .hasMessageContaining("connectTimeoutz");
  }

  @Test
  void summaryNameDisagreeingWithEnvoyName_isRejected() {
    String text = "existing:\n  clusters:\n  - name: a\n    envoy: {name: b}\n";
    assertThatThrownBy(() -> ProxyContext.parse(text, "p.yaml"))
        .hasMessage("p.yaml:3:5: existing.clusters[0].name: is 'a' but envoy.name is 'b'");
  }

  @Test
  void missingEnvoyBlock_isRejected() {
    assertThatThrownBy(() -> ProxyContext.parse("existing:\n  listeners:\n  - name: a\n", "p.yaml"))
        .hasMessageContaining("existing.listeners[0].envoy: is required");
  }

  @Test
  void internalAddressThatIsNoCidr_isRejected() {
    assertThatThrownBy(
            () -> ProxyContext.parse("proxy:\n  internalAddresses: [10.0.0.1]\n", "p.yaml"))
        .hasMessageContaining("internal address '10.0.0.1' is not a CIDR");
  }

  @Test
  void nonAsciiAddressInAnExistingListener_isRejected_namingTheCharacter() {
    String text =
        """
        existing:
          listeners:
          - envoy:
              name: l
              address: {socketAddress: {address: "\uFF110.0.0.1", portValue: 15001}}
              filterChains:
              - filterChainMatch: {prefixRanges: [{addressPrefix: "10.0.0.\u0661", prefixLen: 32}]}
        """;
    assertThatThrownBy(() -> ProxyContext.parse(text, "p.yaml"))
        .hasMessage(
            "p.yaml:5:33: existing.listeners[0].envoy.address.socketAddress"
                + ".address: '\uFF110.0.0.1' has U+FF11 FULLWIDTH DIGIT ONE at position 1: addresses are ASCII only");
    assertThatThrownBy(() -> ProxyContext.parse(text.replace("\uFF110", "10"), "p.yaml"))
        .hasMessageContaining(
            "existing.listeners[0].envoy.filterChains[0].filterChainMatch.prefixRanges[0].addressPrefix: "
                + "'10.0.0.\u0661' has U+0661 ARABIC-INDIC DIGIT ONE at position 8");
  }

  @Test
  void nonAsciiDataplaneAddress_isRejectedBeforeItDecidesTheTransparentProxy() {
    assertThatThrownBy(
            () -> ProxyContext.parse("dataplane:\n  address: \"\uFF110.0.0.1\"\n", "p.yaml"))
        .hasMessageContaining(
            "dataplane.address: '\uFF110.0.0.1' has U+FF11 FULLWIDTH DIGIT ONE at position 1");
  }

  @Test
  void kuma3Schema_portsLeftOut_areKumasDefaults_andDataplaneIpv6MustAgree() {
    ProxyContext v4 =
        ProxyContext.parse(
            "dataplane:\n  address: 127.0.0.1\n  transparentProxy: {ipFamilyMode: ipv4}\n"
                + "proxy: {dataplaneIPv6: false}\n",
            "p.yaml");
    assertThat(v4.transparentProxy().orElseThrow().redirectPortOutbound()).isEqualTo(15001);
    assertThat(v4.transparentProxy().orElseThrow().redirectPortInbound()).isEqualTo(15006);
    assertThat(v4.transparentProxyEnabled()).isTrue();
    assertThat(v4.dataplaneIpv6()).isFalse();

    ProxyContext v6 =
        ProxyContext.parse(
            "dataplane:\n  address: '::1'\n  transparentProxy: {ipFamilyMode: dualstack}\n"
                + "proxy: {dataplaneIPv6: true}\n",
            "p.yaml");
    assertThat(v6.dataplaneIpv6()).isTrue();

    assertThatThrownBy(
            () ->
                ProxyContext.parse(
                    "dataplane:\n  address: 127.0.0.1\n  transparentProxy: {ipFamilyMode: ipv4}\n"
                        + "proxy: {dataplaneIPv6: true}\n",
                    "p.yaml"))
        .hasMessageContaining("proxy.dataplaneIPv6: is true, but the dataplane says false");
  }

  @Test
  void unknownIpFamilyMode_isRejected() {
    assertThatThrownBy(
            () ->
                ProxyContext.parse(
                    "dataplane:\n  transparentProxy: {ipFamilyMode: ipv5}\n", "p.yaml"))
        .hasMessageContaining("dataplane.transparentProxy.ipFamilyMode: must be ipv4 or dualstack");
  }

  @Test
  void defaultTransparentProxy_isDualStackWithTheDefaultPassthrough() {
    ProxyContext proxy = ProxyContext.defaultTransparentProxy();

    assertThat(proxy.transparentProxyEnabled()).isTrue();
    assertThat(proxy.ipv6Enabled()).isTrue();
    assertThat(proxy.listeners())
        .extracting(l -> l.listener().getName())
        .containsExactly(
            "self_transparentproxy_passthrough_outbound_ipv4",
            "self_transparentproxy_passthrough_outbound_ipv6");
    assertThat(proxy.listeners())
        .allSatisfy(l -> assertThat(l.listener().getUseOriginalDst().getValue()).isTrue());
    assertThat(proxy.clusters())
        .extracting(c -> c.cluster().getName())
        .containsExactly(
            "self_transparentproxy_passthrough_outbound_ipv4",
            "self_transparentproxy_passthrough_outbound_ipv6");
    assertThat(proxy.listeners().get(1).listener().getAddress().getSocketAddress().getAddress())
        .isEqualTo("::");
  }

  @Test
  void duplicateListenerNames_areRejected() {
    ProxyContext proxy = ProxyContext.defaultTransparentProxy();
    assertThatThrownBy(
            () ->
                proxy.withResources(
                    List.of(proxy.listeners().get(0), proxy.listeners().get(0)), List.of()))
        .hasMessageContaining("two listeners are named");
  }

  @Test
  void selectionFields_areAcceptedAndLeftToCoresProxyFile() {
    String text =
        """
        dataplane:
          name: web-0.shop
          mesh: default
          labels: {app: web, k8s.kuma.io/namespace: shop}
          address: 10.0.0.5
          inbounds: [{address: 10.0.0.5, port: 8080, name: http, tags: {kuma.io/service: web}}]
          gateway: none
          gatewayTags: {}
          listeners: []
          transparentProxy: {redirectPortOutbound: 15001, ipFamilyMode: ipv4}
        context: {controlPlane: zone, environment: kubernetes, zone: zone-1, systemNamespace: kuma-system, meshPassthroughFlag: true}
        """;

    ProxyContext proxy = ProxyContext.parse(text, "p.yaml");

    assertThat(proxy.transparentProxyEnabled()).isTrue();
    assertThat(proxy.dataplaneAddress()).isEqualTo("10.0.0.5");
  }

  @Test
  void transparentProxyTrue_isKumasDefaultDualStackRedirect_andFalseIsNone() {
    ProxyContext on = ProxyContext.parse("dataplane: {transparentProxy: true}", "p.yaml");
    ProxyContext off = ProxyContext.parse("dataplane: {transparentProxy: false}", "p.yaml");

    assertThat(on.transparentProxy())
        .contains(
            new ProxyContext.TransparentProxy(15001, 15006, ProxyContext.IpFamilyMode.DUALSTACK));
    assertThat(on.transparentProxyEnabled()).isTrue();
    assertThat(off.transparentProxy()).isEmpty();
  }

  @Test
  void aMistakeInTheSelectionPart_isRejectedHereToo() {
    assertThatThrownBy(() -> ProxyContext.parse("context: {environment: openshift}", "p.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "p.yaml:1:11: context.environment: must be one of kubernetes, universal, got 'openshift'");
    assertThatThrownBy(
            () -> ProxyContext.parse("dataplane: {inbounds: [{port: 80, tag: {}}]}", "p.yaml"))
        .hasMessageStartingWith("p.yaml:1:35: dataplane.inbounds[0].tag: unknown field");
  }

  /** An existing listener whose metadata holds {@code structs} Structs, one inside the other. */
  private static String listenerWithMetadata(int structs) {
    String value = "1";
    for (int i = 1; i < structs; i++) {
      value = "{a: " + value + "}";
    }
    return "existing:\n  listeners:\n  - envoy:\n      name: l\n      metadata: {filterMetadata: {ns: "
        + value
        + "}}\n";
  }

  @Test
  void metadataNestedDeeperThanProtobufReadsBack_isRefusedWhenRead_withItsLocation() {
    assertThatThrownBy(() -> ProxyContext.parse(listenerWithMetadata(34), "p.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "p.yaml:3:5: existing.listeners[0].envoy: nests messages deeper than protobuf reads back (100 levels; a Struct "
                + "such as metadata takes 3 levels per level of nesting, so at most 33): Envoy could not load it and it could not be "
                + "written out");
  }

  @Test
  void metadataAsDeepAsProtobufReadsBack_isRead_andItsResourcesWriteOut() {
    ProxyContext context = ProxyContext.parse(listenerWithMetadata(33), "p.yaml");

    assertThat(
            new TranslationResult(
                    context.listeners().stream()
                        .map(ProxyContext.ExistingListener::listener)
                        .toList(),
                    List.of(),
                    List.of())
                .toJson())
        .contains("\"a\"");
  }

  @Test
  void unknownYamlTag_isRefusedWithItsLocation_standardTagsAreRead() {
    assertThatThrownBy(() -> ProxyContext.parse("dataplane:\n  address: !ip 10.0.0.1\n", "p.yaml"))
        .hasMessageStartingWith("p.yaml:2:12: dataplane.address: YAML tag !ip is not read here");
    assertThatThrownBy(
            () -> ProxyContext.parse("existing:\n  clusters:\n  - envoy: {name: !n c}\n", "p.yaml"))
        .hasMessageStartingWith(
            "p.yaml:3:19: existing.clusters[0].envoy.name: YAML tag !n is not read here");
    assertThat(
            ProxyContext.parse(
                    "dataplane: !!map {address: !!str 10.0.0.1}\nproxy: {ipv6Enabled: !!bool true}\n",
                    "p.yaml")
                .ipv6Enabled())
        .isTrue();
  }
}
