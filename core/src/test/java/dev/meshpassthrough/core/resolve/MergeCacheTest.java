package dev.meshpassthrough.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.TargetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proxies that select the same policies share their merge ({@link MergeCache}): every resolution
 * equals the one a set that has never resolved another proxy gives, for proxies with the same
 * selection but different names, labels and transparent-proxy settings, under both Kuma lines and
 * from many threads at once.
 */
class MergeCacheTest {
  private static final int PROXIES = 120;

  private static MeshPassthroughPolicy policy(String name, TargetRef ref, PassthroughConf conf) {
    return new MeshPassthroughPolicy(
        new PolicyMetadata(name, "default", Optional.empty(), new TreeMap<>()), ref, conf);
  }

  private static Match tls(String domain, int port) {
    return Match.of(Destination.of(MatchType.DOMAIN, domain), port, Protocol.TLS);
  }

  /** Mesh-wide policies every proxy selects, and policies per team and per app. */
  private static List<MeshPassthroughPolicy> policies() {
    List<MeshPassthroughPolicy> policies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      policies.add(
          policy(
              "mesh-" + i,
              TargetRef.mesh(),
              PassthroughConf.of(
                  PassthroughMode.MATCHED, List.of(tls("m" + i + ".example.com", 443)))));
    }
    for (int t = 0; t < 3; t++) {
      policies.add(
          policy(
              "team-" + t,
              TargetRef.dataplaneLabels(Map.of("team", "t" + t)),
              new PassthroughConf(
                  t == 2 ? Optional.of(PassthroughMode.ALL) : Optional.empty(),
                  Optional.of(List.of(tls("t" + t + ".example.com", 443))))));
    }
    for (int a = 0; a < 4; a++) {
      policies.add(
          policy(
              "app-" + a,
              TargetRef.dataplaneLabels(Map.of("app", "a" + a)),
              PassthroughConf.of(
                  PassthroughMode.MATCHED,
                  // app-3 clashes with mesh-0 on a port: a translation error the merge reports.
                  List.of(
                      a == 3
                          ? Match.of(
                              Destination.of(MatchType.DOMAIN, "m0.example.com"),
                              443,
                              Protocol.HTTP)
                          : tls("a" + a + ".example.com", 443)))));
    }
    return policies;
  }

  private static ProxyDescriptor proxy(int i) {
    ProxyDescriptor.Builder builder =
        ProxyDescriptor.builder("web-" + i, "default")
            .labels(Map.of("team", "t" + (i % 3), "app", "a" + (i % 5), "pod", "p" + i))
            .inbound(80);
    if (i % 7 == 0) {
      builder.outbound(ProxyDescriptor.Outbound.NO_TRANSPARENT_PROXY);
    }
    return builder.build();
  }

  @ParameterizedTest
  @EnumSource(KumaLine.class)
  void sharedMerges_giveTheResolutionsOfAColdSet(KumaLine line) {
    ControlPlaneContext context = ControlPlaneContext.zone(line);
    PolicyResolver resolver = PolicyResolver.create();
    PolicySet shared = PolicySet.of(policies());
    for (int i = 0; i < PROXIES; i++) {
      ProxyDescriptor proxy = proxy(i);
      Resolution cold = resolver.resolve(PolicySet.of(policies()), proxy, context);
      assertThat(resolver.resolve(shared, proxy, context)).as(proxy.name()).isEqualTo(cold);
    }
  }

  @Test
  void sharedMerges_areTheSameFromManyThreads() {
    ControlPlaneContext context = ControlPlaneContext.zone(KumaLine.V2);
    PolicyResolver resolver = PolicyResolver.create();
    PolicySet shared = PolicySet.of(policies());
    Map<Integer, Resolution> parallel = new ConcurrentHashMap<>();
    IntStream.range(0, PROXIES * 4)
        .parallel()
        .forEach(n -> parallel.put(n, resolver.resolve(shared, proxy(n % PROXIES), context)));
    for (int n = 0; n < PROXIES * 4; n++) {
      assertThat(parallel.get(n))
          .isEqualTo(resolver.resolve(PolicySet.of(policies()), proxy(n % PROXIES), context));
    }
  }
}
