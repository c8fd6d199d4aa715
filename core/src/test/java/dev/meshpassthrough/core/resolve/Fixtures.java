package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.ProxyType;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.model.TargetRefKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Typed policies and proxies for the resolver's tests, written out in full. */
final class Fixtures {
  static final String ZONE_1 = "zone-1";

  private Fixtures() {}

  /** Labels of a Universal policy created on zone-1, as Kuma stores them. */
  static Map<String, String> zoneLabels(String displayName) {
    return Map.of(
        "kuma.io/display-name",
        displayName,
        "kuma.io/mesh",
        "default",
        "kuma.io/origin",
        "zone",
        "kuma.io/zone",
        ZONE_1,
        "kuma.io/env",
        "universal");
  }

  static MeshPassthroughPolicy policy(
      String name, Map<String, String> labels, TargetRef ref, PassthroughConf conf) {
    return new MeshPassthroughPolicy(
        new PolicyMetadata(name, "default", Optional.empty(), new TreeMap<>(labels)), ref, conf);
  }

  /** A zone-1 Universal policy named {@code name} (its display name too). */
  static MeshPassthroughPolicy policy(String name, TargetRef ref, PassthroughConf conf) {
    return policy(name, zoneLabels(name), ref, conf);
  }

  static PassthroughConf mode(PassthroughMode mode) {
    return new PassthroughConf(Optional.of(mode), Optional.empty());
  }

  static PassthroughConf matched(Match... matches) {
    return PassthroughConf.of(PassthroughMode.MATCHED, List.of(matches));
  }

  static PassthroughConf only(Match... matches) {
    return new PassthroughConf(Optional.empty(), Optional.of(List.of(matches)));
  }

  static Match match(String type, String value, Integer port, Protocol protocol) {
    Destination destination = Destination.of(MatchType.fromWireName(type).orElseThrow(), value);
    return port == null
        ? Match.onEveryPort(destination, protocol)
        : Match.of(destination, port, protocol);
  }

  static TargetRef dataplane(Map<String, String> labels) {
    return TargetRef.dataplaneLabels(labels);
  }

  static TargetRef selectAll() {
    return new TargetRef(
        TargetRefKind.DATAPLANE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static TargetRef byName(String name, String namespace) {
    return new TargetRef(
        TargetRefKind.DATAPLANE,
        Optional.empty(),
        Optional.of(name),
        Optional.ofNullable(namespace),
        Optional.empty(),
        Optional.empty());
  }

  static TargetRef meshOf(ProxyType... types) {
    return new TargetRef(
        TargetRefKind.MESH,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(List.of(types)));
  }

  static TargetRef meshSubset(Map<String, String> tags) {
    return new TargetRef(
        TargetRefKind.MESH_SUBSET,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(new TreeMap<>(tags)),
        Optional.empty());
  }

  /** A zone-1 Universal sidecar {@code web-1} with label app=web and one inbound on 8080. */
  static ProxyDescriptor.Builder web() {
    return ProxyDescriptor.builder("web-1", "default")
        .labels(
            Map.of(
                "app",
                "web",
                "kuma.io/display-name",
                "web-1",
                "kuma.io/mesh",
                "default",
                "kuma.io/origin",
                "zone",
                "kuma.io/zone",
                ZONE_1,
                "kuma.io/env",
                "universal"))
        .inbound(8080);
  }
}
