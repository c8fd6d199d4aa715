package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cluster of the proxy named like one of the policy's is replaced by the policy's, once, with a
 * warning naming it; the proxy's other clusters stay. Every profile and encoding.
 */
class PolicyClusterReplacementTest {
  private static final PassthroughConf CONF =
      PassthroughConf.of(
          PassthroughMode.MATCHED,
          List.of(
              Match.of(Destination.of(MatchType.DOMAIN, "a.example.com"), 443, Protocol.TLS),
              Match.of(Destination.of(MatchType.IP, "10.0.0.1"), 5432, Protocol.TCP),
              Match.of(Destination.of(MatchType.DOMAIN, "b.example.com"), 80, Protocol.HTTP)));

  static Stream<TranslatorOptions> options() {
    return Stream.of(
        TranslatorOptions.of(TranslationProfile.KUMA),
        TranslatorOptions.of(TranslationProfile.EXACT),
        TranslatorOptions.of(TranslationProfile.EXACT).withEncoding(Encoding.MATCHER));
  }

  @ParameterizedTest
  @MethodSource("options")
  void aProxyClusterOfAPolicyClusterName_isReplacedOnce_withAWarning(TranslatorOptions options) {
    PassthroughTranslator translator = PassthroughTranslator.create(options);
    ProxyContext plain = ProxyContext.defaultTransparentProxy();
    List<Cluster> policyClusters = translator.translate(CONF, plain).clusters();
    assertThat(policyClusters).hasSizeGreaterThanOrEqualTo(3);
    // The proxy already has the second and last of the policy's clusters (other settings), and one
    // of its own.
    Cluster second = policyClusters.get(1);
    Cluster last = policyClusters.get(policyClusters.size() - 1);
    Cluster own = Cluster.newBuilder().setName("zz_own").build();
    List<ProxyContext.ExistingCluster> existing = new ArrayList<>(plain.clusters());
    for (Cluster cluster : List.of(last, own, second)) {
      existing.add(
          new ProxyContext.ExistingCluster(
              "test",
              cluster.toBuilder().setConnectTimeout(Duration.newBuilder().setSeconds(99)).build()));
    }
    ProxyContext proxy = plain.withResources(plain.listeners(), existing);

    TranslationResult result = translator.translate(CONF, proxy);

    List<Cluster> expected = new ArrayList<>(policyClusters);
    expected.add(existing.get(existing.size() - 2).cluster());
    assertThat(result.clusters()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(result.clusters())
        .extracting(Cluster::getName)
        .isSortedAccordingTo(String::compareTo);
    assertThat(result.notes())
        .filteredOn(note -> note.ruleId().equals("translate.cluster.replaced"))
        .extracting(Problem::message)
        .containsExactly(
            "cluster "
                + second.getName()
                + " of the proxy was replaced by the policy's cluster of the same name",
            "cluster "
                + last.getName()
                + " of the proxy was replaced by the policy's cluster of the same name");
  }
}
