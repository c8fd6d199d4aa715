package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A mesh of proxies and policies with realistic label selectors, and the naive way to resolve it.
 *
 * <p>Proxies carry {@code app} (200 values), {@code version} (3), {@code team} (20), {@code
 * k8s.kuma.io/namespace} (50) and {@code kuma.io/zone} (3). One policy in 20 targets the whole
 * {@code Mesh}; the others are {@code Dataplane} policies selecting by {@code app}, {@code app} and
 * {@code version}, {@code team}, or namespace and {@code team}. Each policy allows two entries.
 */
final class ResolveFixture {
  static final ControlPlaneContext CONTEXT =
      ControlPlaneContext.zone(dev.meshpassthrough.core.resolve.KumaLine.V2);

  final List<MeshPassthroughPolicy> policies;
  final List<ProxyDescriptor> proxies;
  final PolicySet indexed;

  /** One single-policy set per policy, built once: the naive scan's unit of selection. */
  final List<PolicySet> singles;

  ResolveFixture(int proxyCount, int policyCount) {
    SplittableRandom random = new SplittableRandom(PolicyMix.SEED);
    List<Match> matches = PolicyMix.matches(2 * policyCount);
    policies = new ArrayList<>(policyCount);
    for (int i = 0; i < policyCount; i++) {
      TargetRef ref =
          i % 20 == 0 ? TargetRef.mesh() : TargetRef.dataplaneLabels(selector(i, random));
      PassthroughConf conf =
          PassthroughConf.of(PassthroughMode.MATCHED, matches.subList(2 * i, 2 * i + 2));
      policies.add(
          new MeshPassthroughPolicy(
              new PolicyMetadata(
                  "policy-" + i,
                  "default",
                  Optional.empty(),
                  new TreeMap<>(Map.of("kuma.io/origin", "zone"))),
              ref,
              conf));
    }
    proxies = new ArrayList<>(proxyCount);
    for (int i = 0; i < proxyCount; i++) {
      proxies.add(
          ProxyDescriptor.builder("proxy-" + i, "default")
              .label("app", "app" + i % 200)
              .label("version", "v" + i % 3)
              .label("team", "team" + i % 20)
              .label("k8s.kuma.io/namespace", "ns" + i % 50)
              .label("kuma.io/zone", "zone" + i % 3)
              .inbound(8080)
              .build());
    }
    indexed = PolicySet.of(policies);
    singles = policies.stream().map(p -> PolicySet.of(List.of(p))).toList();
  }

  private static Map<String, String> selector(int i, SplittableRandom random) {
    Map<String, String> labels = new TreeMap<>();
    switch (i % 4) {
      case 0 -> labels.put("app", "app" + random.nextInt(200));
      case 1 -> {
        labels.put("app", "app" + random.nextInt(200));
        labels.put("version", "v" + random.nextInt(3));
      }
      case 2 -> labels.put("team", "team" + random.nextInt(20));
      default -> {
        labels.put("k8s.kuma.io/namespace", "ns" + random.nextInt(50));
        labels.put("team", "team" + random.nextInt(20));
      }
    }
    return labels;
  }

  /**
   * The naive baseline through the public API: resolve every policy on its own (a prebuilt
   * single-policy {@link PolicySet} each) to learn whether it selects the proxy, then resolve the
   * selecting policies together for the merge. Gives the same resolution as the indexed set.
   */
  static Resolution naive(PolicyResolver resolver, List<PolicySet> singles, ProxyDescriptor proxy) {
    List<MeshPassthroughPolicy> selecting = new ArrayList<>();
    for (PolicySet single : singles) {
      if (!resolver.resolve(single, proxy, CONTEXT).applied().isEmpty()) {
        selecting.add(single.policies().get(0));
      }
    }
    return resolver.resolve(selecting, proxy, CONTEXT);
  }
}
