package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.internal.ClusterSpec;
import dev.meshpassthrough.envoy.internal.DynamicForwardProxy;
import dev.meshpassthrough.envoy.internal.DynamicForwardProxyCluster;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.OriginalDstCluster;
import dev.meshpassthrough.envoy.internal.StrictDnsCluster;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the exact profile sends the traffic of each entry under a {@link DomainPinning}: the dialed
 * address ({@code ORIGINAL_DST}), the entry's domain ({@code STRICT_DNS}), or the name the client
 * sent (a dynamic forward proxy). IP and CIDR entries always keep the dialed address. Immutable and
 * thread-safe.
 *
 * @param pinning the pinning in force
 * @param proxy the proxy: pinned names resolve to IPv4 only when it is not IPv6
 * @param naming the names of clusters
 * @param cache the proxy's DNS cache, shared by every dynamic forward proxy filter and cluster
 */
record DomainUpstreams(
    DomainPinning pinning, ProxyContext proxy, Naming naming, DnsCacheConfig cache) {
  /** The kinds of upstream an entry gets. */
  enum Kind {
    /** The address the client dialed. */
    DIALED,
    /** The entry's domain on its port, resolved by a {@code STRICT_DNS} cluster. */
    STRICT_DNS,
    /** The name the client sent, on the dialed port, through the dynamic forward proxy. */
    DYNAMIC
  }

  /** Checks for null. */
  DomainUpstreams {
    Objects.requireNonNull(pinning, "pinning");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(naming, "naming");
    Objects.requireNonNull(cache, "cache");
  }

  /** The upstreams of {@code proxy} under {@code pinning}, with its DNS cache. */
  static DomainUpstreams of(DomainPinning pinning, ProxyContext proxy, Naming naming) {
    return new DomainUpstreams(pinning, proxy, naming, DynamicForwardProxy.dnsCache(proxy));
  }

  /** The kind of upstream {@code match} gets. */
  Kind kindOf(Match match) {
    Destination destination = match.destination();
    if (!destination.isDomain()) {
      return Kind.DIALED;
    }
    return switch (pinning) {
      case OFF -> Kind.DIALED;
      case DNS ->
          destination instanceof Destination.Domain && match.port().isPresent()
              ? Kind.STRICT_DNS
              : Kind.DIALED;
      case DYNAMIC -> mayMatchIpLiteral(destination) ? Kind.DIALED : Kind.DYNAMIC;
    };
  }

  /** The cluster the traffic {@code match} allows goes to, named and built for its kind. */
  ClusterSpec cluster(Match match) {
    Protocol protocol = match.protocol();
    return switch (kindOf(match)) {
      case DIALED ->
          new OriginalDstCluster(
              naming.exactClusterName(protocol, match.destination().value(), match.port()),
              protocol);
      case STRICT_DNS ->
          new StrictDnsCluster(
              naming.exactClusterName(protocol, match.destination().value(), match.port()),
              protocol,
              ((Destination.Domain) match.destination()).canonical(),
              match.port().orElseThrow().value(),
              !proxy.dataplaneIpv6());
      case DYNAMIC -> {
        String kind =
            switch (protocol) {
              case TLS -> "tls";
              case HTTP2, GRPC -> "http2";
              default -> "http";
            };
        yield new DynamicForwardProxyCluster(naming.prefix() + "_dfp_" + kind, protocol, cache);
      }
    };
  }

  /**
   * The notes and warnings on the Domain entries this pinning leaves on the dialed address, in
   * entry order: a note per wildcard or port-less entry under {@link DomainPinning#DNS}, a warning
   * per entry that {@link DomainPinning#DYNAMIC} cannot pin safely.
   */
  List<Problem> problems(List<Match> matches) {
    List<Problem> problems = new ArrayList<>();
    if (pinning == DomainPinning.OFF) {
      return problems;
    }
    for (int i = 0; i < matches.size(); i++) {
      Match match = matches.get(i);
      if (!match.destination().isDomain() || kindOf(match) != Kind.DIALED) {
        continue;
      }
      String entry =
          match.destination().value()
              + match.port().map(p -> ":" + p.value()).orElse("")
              + " ("
              + match.protocol().wireName()
              + ")";
      if (pinning == DomainPinning.DNS) {
        String why =
            match.destination() instanceof Destination.WildcardDomain
                ? "a wildcard domain names no host to resolve"
                : "a domain without a port names no port to connect to";
        problems.add(
            TranslationRules.note(
                    TranslationRules.PINNING_NOT_PINNED,
                    entry
                        + " is not pinned under domain pinning dns ("
                        + why
                        + "): its traffic goes to the address the client dialed; domain pinning"
                        + " dynamic pins it")
                .at(TranslationRules.appendMatch(i)));
      } else {
        problems.add(
            TranslationRules.warning(
                    TranslationRules.PINNING_NOT_PINNED,
                    entry
                        + " is not pinned under domain pinning dynamic: a name it matches can be"
                        + " an IPv4 address, which must never become an upstream, so its traffic"
                        + " goes to the address the client dialed; name the domains instead")
                .at(TranslationRules.appendMatch(i)));
      }
    }
    return problems;
  }

  /**
   * Whether a name {@code destination} matches could be an IPv4 literal: a wildcard whose parent
   * has at most three labels, all decimal digits ({@code *.0.1} matches {@code 10.0.0.1}). An exact
   * domain never is one: the model refuses IP literals as domains.
   */
  static boolean mayMatchIpLiteral(Destination destination) {
    if (!(destination instanceof Destination.WildcardDomain wildcard)) {
      return false;
    }
    String[] labels = wildcard.parent().split("\\.", -1);
    if (labels.length > 3) {
      return false;
    }
    for (String label : labels) {
      if (label.isEmpty() || !label.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }
}
