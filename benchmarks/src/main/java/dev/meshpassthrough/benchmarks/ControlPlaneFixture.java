package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.envoy.ProxyContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The mesh of the control-plane benchmark and load report: proxies with labels, and policies
 * selecting subsets of them, in code ({@link #policies}, {@link #proxy}) and as the files a {@code
 * FileSource} reads ({@link #policyYaml}, {@link #proxyYaml}), both describing the same mesh.
 *
 * <p>Proxy {@code i} of {@code n} carries {@code app: app<i % 200>}, {@code team: team<i % 20>} and
 * {@code cohort: changing} when it is one of the {@code percent}% the changing policy selects
 * (evenly spread: exactly {@code floor(n * percent / 100)} of them), else {@code cohort: steady}.
 * Policies: {@code base} (the whole {@code Mesh}), {@code changing} ({@code Dataplane} with {@code
 * cohort: changing}, in two confs, {@link #changing(int)}), {@code team-<t>} for t below 10 and
 * {@code app-<a>} for a below 10 ({@code Dataplane} by label): every proxy is selected by the base
 * policy, half by a team policy, one in twenty by an app policy.
 */
final class ControlPlaneFixture {
  static final String MESH = "default";
  static final String COHORT = "cohort";
  static final String CHANGING = "changing";
  static final int TEAM_POLICIES = 10;
  static final int APP_POLICIES = 10;

  private ControlPlaneFixture() {}

  /** The core name of proxy {@code i} (a Kubernetes pod {@code proxy-i} in namespace bench). */
  static String name(int i) {
    return "proxy-" + i + ".bench";
  }

  /** Whether the changing policy selects proxy {@code i}: exactly floor(n × percent / 100) of n. */
  static boolean selected(int i, int percent) {
    return (long) (i + 1) * percent / 100 > (long) i * percent / 100;
  }

  /** How many of {@code n} proxies the changing policy selects. */
  static int selectedCount(int n, int percent) {
    return (int) ((long) n * percent / 100);
  }

  static SortedMap<String, String> labels(int i, int percent) {
    SortedMap<String, String> labels = new TreeMap<>();
    labels.put("app", "app" + i % 200);
    labels.put("team", "team" + i % 20);
    labels.put(COHORT, selected(i, percent) ? CHANGING : "steady");
    labels.put("k8s.kuma.io/namespace", "bench");
    labels.put("kuma.io/display-name", "proxy-" + i);
    labels.put("kuma.io/origin", "zone");
    labels.put("kuma.io/zone", "zone-1");
    return labels;
  }

  /** Proxy {@code i} in code: the default dual-stack transparent proxy with its own selection. */
  static ProxyContext proxy(int i, int percent) {
    ProxyDescriptor descriptor =
        ProxyDescriptor.builder(name(i), MESH).labels(labels(i, percent)).inbound(8080).build();
    return ProxyContext.defaultTransparentProxy()
        .withSelection(new ProxyFile(descriptor, ControlPlaneContext.zone(KumaLine.V2)));
  }

  /** The steady policies: base, team and app policies. */
  static List<MeshPassthroughPolicy> steadyPolicies() {
    List<MeshPassthroughPolicy> out = new ArrayList<>();
    out.add(policy("base", TargetRef.mesh(), baseMatches()));
    for (int t = 0; t < TEAM_POLICIES; t++) {
      out.add(
          policy(
              "team-" + t, TargetRef.dataplaneLabels(Map.of("team", "team" + t)), teamMatches(t)));
    }
    for (int a = 0; a < APP_POLICIES; a++) {
      out.add(
          policy("app-" + a, TargetRef.dataplaneLabels(Map.of("app", "app" + a)), appMatches(a)));
    }
    return out;
  }

  /** The changing policy in conf {@code variant} (0 or 1): the two differ in both entries. */
  static MeshPassthroughPolicy changing(int variant) {
    return policy(
        CHANGING, TargetRef.dataplaneLabels(Map.of(COHORT, CHANGING)), changingMatches(variant));
  }

  private static MeshPassthroughPolicy policy(String name, TargetRef ref, List<Match> matches) {
    return new MeshPassthroughPolicy(
        new PolicyMetadata(
            name, MESH, Optional.empty(), new TreeMap<>(Map.of("kuma.io/origin", "zone"))),
        ref,
        PassthroughConf.of(PassthroughMode.MATCHED, matches));
  }

  private static List<Match> baseMatches() {
    return List.of(
        Match.of(Destination.of(MatchType.DOMAIN, "api.example.com"), 443, Protocol.TLS),
        Match.of(Destination.of(MatchType.IP, "10.8.0.1"), 5432, Protocol.TCP));
  }

  private static List<Match> teamMatches(int t) {
    return List.of(
        Match.of(Destination.of(MatchType.DOMAIN, "team" + t + ".example.com"), 443, Protocol.TLS));
  }

  private static List<Match> appMatches(int a) {
    return List.of(
        Match.of(Destination.of(MatchType.CIDR, "172.20." + a + ".0/24"), 8443, Protocol.TCP));
  }

  private static List<Match> changingMatches(int variant) {
    return List.of(
        Match.of(
            Destination.of(MatchType.DOMAIN, "changing-v" + variant + ".example.com"),
            443,
            Protocol.TLS),
        Match.of(Destination.of(MatchType.IP, "10.9.0." + (variant + 1)), 6379, Protocol.TCP));
  }

  /** Every policy (the changing one in conf {@code variant}) as one Kubernetes document each. */
  static Map<String, String> policyYaml(int variant) {
    Map<String, String> files = new TreeMap<>();
    for (MeshPassthroughPolicy p : steadyPolicies()) {
      files.put(p.metadata().name() + ".yaml", yaml(p));
    }
    files.put(CHANGING + ".yaml", yaml(changing(variant)));
    return files;
  }

  /** One policy as a Kubernetes document in kuma-system. */
  static String yaml(MeshPassthroughPolicy policy) {
    StringBuilder text = new StringBuilder(512);
    text.append("apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata:\n  name: ")
        .append(policy.metadata().name())
        .append("\n  namespace: kuma-system\n  labels:\n    kuma.io/mesh: ")
        .append(MESH)
        .append("\nspec:\n  targetRef:\n");
    Map<String, String> labels = policy.targetRef().labels().orElse(new TreeMap<>());
    if (labels.isEmpty()) {
      text.append("    kind: Mesh\n");
    } else {
      text.append("    kind: Dataplane\n    labels:\n");
      labels.forEach((k, v) -> text.append("      ").append(k).append(": ").append(v).append('\n'));
    }
    text.append("  default:\n    passthroughMode: Matched\n    appendMatch:\n");
    for (Match match : policy.conf().matches()) {
      text.append("    - type: ")
          .append(match.type().wireName())
          .append("\n      value: \"")
          .append(match.destination().value())
          .append("\"\n");
      match.port().ifPresent(p -> text.append("      port: ").append(p.value()).append('\n'));
      text.append("      protocol: ").append(match.protocol().wireName()).append('\n');
    }
    return text.toString();
  }

  /** Proxy {@code i} as a proxy file (the schema of examples/proxy.yaml). */
  static String proxyYaml(int i, int percent) {
    StringBuilder labels = new StringBuilder();
    labels(i, percent)
        .forEach((k, v) -> labels.append("    ").append(k).append(": ").append(v).append('\n'));
    String address = "10.1." + (i >> 8 & 255) + "." + (i & 255);
    return "dataplane:\n  name: "
        + name(i)
        + "\n  mesh: "
        + MESH
        + "\n  labels:\n"
        + labels
        + "  address: "
        + address
        + "\n  inbounds:\n  - {address: "
        + address
        + ", port: 8080, name: http}\n"
        + "  gateway: none\n"
        + "  transparentProxy:\n"
        + "    redirectPortOutbound: 15001\n"
        + "    redirectPortInbound: 15006\n"
        + "    ipFamilyMode: dualstack\n"
        + "proxy:\n  apiVersion: v3\n  features: []\n  ipv6Enabled: true\n  internalAddresses: []\n"
        + "context:\n  controlPlane: zone\n  environment: kubernetes\n  zone: zone-1\n"
        + "  systemNamespace: kuma-system\n"
        + "existing:\n  listeners:\n"
        + existingListener("ipv4", "0.0.0.0")
        + existingListener("ipv6", "'::'")
        + "  clusters:\n"
        + existingCluster("ipv4")
        + existingCluster("ipv6");
  }

  private static String existingListener(String family, String address) {
    String name = "self_transparentproxy_passthrough_outbound_" + family;
    return "  - origin: transparent\n    envoy:\n      name: "
        + name
        + "\n      address: {socketAddress: {address: "
        + address
        + ", portValue: 15001}}\n      useOriginalDst: true\n      trafficDirection: OUTBOUND\n"
        + "      filterChains:\n      - filters:\n        - name: envoy.filters.network.tcp_proxy\n"
        + "          typedConfig:\n"
        + "            '@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy\n"
        + "            statPrefix: outbound_passthrough_"
        + family
        + "\n            cluster: "
        + name
        + "\n";
  }

  private static String existingCluster(String family) {
    return "  - origin: transparent\n    envoy:\n      name: self_transparentproxy_passthrough_outbound_"
        + family
        + "\n      type: ORIGINAL_DST\n      lbPolicy: CLUSTER_PROVIDED\n      connectTimeout: 5s\n";
  }
}
