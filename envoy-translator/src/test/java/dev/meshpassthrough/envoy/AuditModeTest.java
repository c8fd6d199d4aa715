package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Audit mode ({@link Enforcement#AUDIT}) in the exact profile: which options take it, what each
 * mode writes, and the shape of the audit chains. That every denied connection is forwarded and
 * logged, and no allowed one, is proven by the simulator and on a real Envoy (testkit's {@code
 * AuditPropertiesTest}, {@code RealEnvoyAuditTest}).
 */
class AuditModeTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final TranslatorOptions AUDIT =
      TranslatorOptions.defaults().withEnforcement(Enforcement.AUDIT);
  private static final PassthroughConf MATCHED =
      PassthroughConf.of(
          PassthroughMode.MATCHED,
          List.of(
              Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
              Match.of(Destination.of(MatchType.IP, "10.0.0.5"), 5432, Protocol.TCP)));

  private static TranslationResult translate(PassthroughConf conf, TranslatorOptions options) {
    return PassthroughTranslator.create(options).translate(conf, PROXY);
  }

  @Test
  void enforceIsTheDefault() {
    assertThat(TranslatorOptions.defaults().enforcement()).isEqualTo(Enforcement.ENFORCE);
    assertThat(TranslatorOptions.defaults().auditLogPath())
        .isEqualTo(TranslatorOptions.DEFAULT_AUDIT_LOG_PATH)
        .isEqualTo("/dev/stdout");
    assertThat(Enforcement.parse("Audit")).contains(Enforcement.AUDIT);
    assertThat(Enforcement.parse("dry-run")).isEmpty();
  }

  @Test
  void theKumaProfile_enforcesOnly() {
    TranslatorOptions kuma = TranslatorOptions.of(TranslationProfile.KUMA);
    assertThatThrownBy(() -> kuma.withEnforcement(Enforcement.AUDIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the kuma profile enforces only");
  }

  @Test
  void auditLogPath_mustBeAPlainPath() {
    assertThatThrownBy(() -> AUDIT.withAuditLogPath(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AUDIT.withAuditLogPath("/tmp/a\u0000b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without control characters")
        .hasMessageNotContaining("\u0000");
    assertThatThrownBy(() -> AUDIT.withAuditLogPath("/" + "x".repeat(5000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(AUDIT.withAuditLogPath("/var/log/audit.log").auditLogPath())
        .isEqualTo("/var/log/audit.log");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void modeAll_underAudit_changesNothing(Encoding encoding) {
    PassthroughConf all = PassthroughConf.of(PassthroughMode.ALL, List.of());
    assertThat(translate(all, AUDIT.withEncoding(encoding)))
        .isEqualTo(translate(all, TranslatorOptions.defaults().withEncoding(encoding)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void modeNone_underAudit_forwardsAndLogsEverythingThroughOneChainPerListener(Encoding encoding)
      throws InvalidProtocolBufferException {
    TranslationResult result =
        translate(
            PassthroughConf.of(PassthroughMode.NONE, List.of()),
            AUDIT.withEncoding(encoding).withAuditLogPath("/var/log/audit.log"));
    List<Listener> passthrough =
        result.listeners().stream()
            .filter(l -> l.getName().startsWith("self_transparentproxy_passthrough"))
            .toList();
    assertThat(passthrough).hasSize(2);
    for (Listener listener : passthrough) {
      assertThat(listener.getFilterChainsList()).hasSize(1);
      FilterChain chain = listener.getFilterChains(0);
      assertThat(chain.getName()).isEqualTo("meshpassthrough_audit_*_*_any");
      TcpProxy proxy = chain.getFilters(0).getTypedConfig().unpack(TcpProxy.class);
      String family = listener.getName().endsWith("ipv4") ? "ipv4" : "ipv6";
      assertThat(proxy.getCluster()).isEqualTo("meshpassthrough_audit_other_" + family);
      assertThat(proxy.getStatPrefix()).isEqualTo(proxy.getCluster());
      FileAccessLog log = proxy.getAccessLog(0).getTypedConfig().unpack(FileAccessLog.class);
      assertThat(log.getPath()).isEqualTo("/var/log/audit.log");
      assertThat(log.getLogFormat().getJsonFormat().getFieldsMap().keySet())
          .containsExactlyInAnyOrder(
              "time",
              "verdict",
              "destination_address",
              "destination_port",
              "sni",
              "authority",
              "protocol",
              "listener",
              "chain",
              "source",
              "nearest_entry");
    }
    assertThat(result.clusters().stream().map(Cluster::getName))
        .contains("meshpassthrough_audit_other_ipv4", "meshpassthrough_audit_other_ipv6")
        .noneMatch(name -> name.contains("passthrough:") || name.startsWith("self_"));
    assertThat(
            result.clusters().stream()
                .filter(c -> c.getName().startsWith("meshpassthrough_audit"))
                .map(Cluster::getType))
        .containsOnly(Cluster.DiscoveryType.ORIGINAL_DST);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void matched_underAudit_keepsEveryChainOfEnforce_andAddsOnlyAuditOnes(Encoding encoding) {
    TranslationResult enforce =
        translate(MATCHED, TranslatorOptions.defaults().withEncoding(encoding));
    TranslationResult audit = translate(MATCHED, AUDIT.withEncoding(encoding));
    for (Listener listener : enforce.listeners()) {
      Optional<Listener> audited =
          audit.listeners().stream()
              .filter(l -> l.getName().equals(listener.getName()))
              .findFirst();
      assertThat(audited).isPresent();
      List<String> enforceChains =
          listener.getFilterChainsList().stream().map(FilterChain::getName).toList();
      List<String> auditChains =
          audited.get().getFilterChainsList().stream().map(FilterChain::getName).toList();
      assertThat(auditChains).containsAll(enforceChains);
      assertThat(auditChains.stream().filter(n -> !enforceChains.contains(n)))
          .allMatch(n -> n.startsWith("meshpassthrough_audit_"));
    }
    assertThat(audit.clusters().stream().map(Cluster::getName))
        .containsAll(enforce.clusters().stream().map(Cluster::getName).toList())
        .contains("meshpassthrough_audit_443_ipv4", "meshpassthrough_audit_other_ipv6");
  }
}
