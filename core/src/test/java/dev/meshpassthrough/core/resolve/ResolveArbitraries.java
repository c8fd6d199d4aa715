package dev.meshpassthrough.core.resolve;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.ProxyType;
import dev.meshpassthrough.core.model.TargetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators over small pools, so that generated policies and proxies often meet: labels, names,
 * origins, roles, namespaces and zones collide on purpose.
 */
final class ResolveArbitraries {
  private static final List<Map<String, String>> SELECTORS =
      List.of(
          Map.of(),
          Map.of("app", "web"),
          Map.of("app", "api"),
          Map.of("app", "web", "version", "v1"),
          Map.of("version", "v1"),
          Map.of("kuma.io/display-name", "web-1"),
          Map.of("kuma.io/display-name", "web-1", "k8s.kuma.io/namespace", "shop"));
  private static final List<Match> MATCHES =
      List.of(
          Fixtures.match("Domain", "github.com", 443, Protocol.TLS),
          Fixtures.match("Domain", "api.example.com", 8080, Protocol.HTTP),
          Fixtures.match("Domain", "rpc.example.com", 8080, Protocol.GRPC),
          Fixtures.match("IP", "10.0.0.1", 5432, Protocol.TCP),
          Fixtures.match("CIDR", "192.168.0.0/16", null, Protocol.TCP));

  private ResolveArbitraries() {}

  static Arbitrary<KumaLine> lines() {
    return Arbitraries.of(KumaLine.class);
  }

  /** Up to {@code max} policies with distinct core names, in one mesh or the other. */
  static Arbitrary<List<MeshPassthroughPolicy>> policies(int max) {
    return policy().list().ofMaxSize(max).map(ResolveArbitraries::distinctNames);
  }

  private static List<MeshPassthroughPolicy> distinctNames(List<MeshPassthroughPolicy> policies) {
    List<MeshPassthroughPolicy> out = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      MeshPassthroughPolicy p = policies.get(i);
      PolicyMetadata m = p.metadata();
      out.add(
          new MeshPassthroughPolicy(
              new PolicyMetadata(m.name() + "-" + i, m.mesh(), m.namespace(), m.labels()),
              p.targetRef(),
              p.conf()));
    }
    return out;
  }

  static Arbitrary<MeshPassthroughPolicy> policy() {
    Arbitrary<String> display = Arbitraries.of("aaa", "bbb", "111", "web", "same");
    Arbitrary<Optional<String>> origin = Arbitraries.of("zone", "global", "other").optional(0.8);
    Arbitrary<Optional<String>> role =
        Arbitraries.of("system", "workload-owner", "consumer", "producer").optional(0.3);
    Arbitrary<Optional<String>> namespace = Arbitraries.of("shop", "billing").optional(0.4);
    Arbitrary<Optional<String>> zone = Arbitraries.of("zone-1", "zone-1", "zone-2").optional(0.6);
    Arbitrary<String> mesh = Arbitraries.of("default", "default", "default", "payments");
    Arbitrary<Map<String, String>> labels =
        Combinators.combine(
                display, origin, role, namespace, zone, Arbitraries.integers().between(0, 19))
            .as(
                (d, o, r, n, z, shadow) -> {
                  Map<String, String> out = new TreeMap<>();
                  out.put("kuma.io/display-name", d);
                  o.ifPresent(v -> out.put("kuma.io/origin", v));
                  r.ifPresent(v -> out.put("kuma.io/policy-role", v));
                  n.ifPresent(v -> out.put("k8s.kuma.io/namespace", v));
                  z.ifPresent(v -> out.put("kuma.io/zone", v));
                  if (shadow == 0) {
                    out.put("kuma.io/effect", "shadow");
                  }
                  return out;
                });
    return Combinators.combine(display, mesh, labels, targetRef(), conf())
        .as(
            (d, m, l, ref, conf) ->
                new MeshPassthroughPolicy(
                    new PolicyMetadata(d, m, Optional.empty(), new TreeMap<>(l)), ref, conf));
  }

  static Arbitrary<TargetRef> targetRef() {
    return Arbitraries.oneOf(
        Arbitraries.just(TargetRef.mesh()),
        Arbitraries.of(ProxyType.class)
            .list()
            .ofMinSize(1)
            .ofMaxSize(2)
            .uniqueElements()
            .map(t -> Fixtures.meshOf(t.toArray(ProxyType[]::new))),
        Arbitraries.of(SELECTORS).map(Fixtures::dataplane),
        Arbitraries.just(Fixtures.selectAll()),
        Arbitraries.of("web-1", "web-2").map(n -> Fixtures.byName(n, null)),
        Arbitraries.of(
                Map.<String, String>of(),
                Map.of("kuma.io/service", "web"),
                Map.of("kuma.io/service", "api"))
            .map(Fixtures::meshSubset));
  }

  static Arbitrary<PassthroughConf> conf() {
    return Combinators.combine(
            Arbitraries.of(PassthroughMode.class).optional(0.7),
            Arbitraries.of(MATCHES).list().ofMaxSize(2).optional(0.6))
        .as(PassthroughConf::new);
  }

  /**
   * Proxies of mesh default, mostly with a transparent proxy; builtin gateways only for Kuma 2.x.
   */
  static Arbitrary<ProxyDescriptor> proxy(KumaLine line) {
    Arbitrary<Map<String, String>> labels =
        Combinators.combine(
                Arbitraries.of("web", "api").optional(0.8),
                Arbitraries.of("v1", "v2").optional(0.5),
                Arbitraries.of("web-1", "web-2").optional(0.8),
                Arbitraries.of("shop", "billing").optional(0.5),
                Arbitraries.of("zone", "global").optional(0.8),
                Arbitraries.of("zone-1", "zone-2").optional(0.7))
            .as(
                (app, version, display, namespace, origin, zone) -> {
                  Map<String, String> out = new TreeMap<>();
                  app.ifPresent(v -> out.put("app", v));
                  version.ifPresent(v -> out.put("version", v));
                  display.ifPresent(v -> out.put("kuma.io/display-name", v));
                  namespace.ifPresent(v -> out.put("k8s.kuma.io/namespace", v));
                  origin.ifPresent(v -> out.put("kuma.io/origin", v));
                  zone.ifPresent(v -> out.put("kuma.io/zone", v));
                  return out;
                });
    Arbitrary<List<ProxyDescriptor.Inbound>> someInbounds =
        Arbitraries.of(
                ProxyDescriptor.Inbound.of(8080),
                new ProxyDescriptor.Inbound(
                    9090, Optional.of("http"), new TreeMap<>(Map.of("kuma.io/service", "web"))),
                new ProxyDescriptor.Inbound(
                    7070, Optional.empty(), new TreeMap<>(Map.of("kuma.io/service", "api"))))
            .list()
            .ofMinSize(1)
            .ofMaxSize(2);
    Arbitrary<List<ProxyDescriptor.Inbound>> inbounds =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(List.<ProxyDescriptor.Inbound>of())),
            net.jqwik.api.Tuple.of(6, someInbounds));
    Arbitrary<ProxyDescriptor.GatewayKind> gateway =
        line == KumaLine.V2
            ? Arbitraries.of(ProxyDescriptor.GatewayKind.class)
            : Arbitraries.of(
                ProxyDescriptor.GatewayKind.NONE, ProxyDescriptor.GatewayKind.DELEGATED);
    Arbitrary<ProxyDescriptor.Outbound> outbound =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.just(ProxyDescriptor.Outbound.TRANSPARENT_PROXY)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.just(ProxyDescriptor.Outbound.NO_TRANSPARENT_PROXY)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(ProxyDescriptor.Outbound.BIND_OUTBOUNDS)));
    Arbitrary<Boolean> listener = Arbitraries.integers().between(0, 4).map(i -> i == 0);
    return Combinators.combine(
            Arbitraries.of("web-1.shop", "web-1", "web-2"),
            labels,
            inbounds,
            gateway,
            outbound,
            listener)
        .as(
            (name, l, in, gw, out, withListener) -> {
              ProxyDescriptor.Builder builder =
                  ProxyDescriptor.builder(name, "default")
                      .labels(l)
                      .gateway(gw)
                      .outbound(out)
                      .gatewayTags(Map.of("kuma.io/service", "web"));
              in.forEach(builder::inbound);
              if (withListener) {
                builder.listener(new ProxyDescriptor.ZoneProxyListener("ingress", 10001));
              }
              return builder.build();
            });
  }
}
