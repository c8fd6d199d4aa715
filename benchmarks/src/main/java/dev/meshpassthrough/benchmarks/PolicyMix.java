package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic mix of {@code appendMatch} entries that is valid under the strict
 * validator: about 60% domains (a tenth of them {@code *.wildcards}), 25% IPs and 15% CIDRs, IPv4
 * and IPv6 alternating, ports from a pool of 20, every protocol (IPs and CIDRs: 40% tcp, 20% tls,
 * 20% layer 7, 20% mysql; domains: half tls, half layer 7).
 *
 * <p>Rules kept so that strict validation passes: the pool is 13 layer-4 ports and 7 layer-7 ports,
 * each layer-7 port with one protocol ({@code http}, {@code http2} or {@code grpc}) and no other
 * entries, since Kuma refuses a layer-7 entry on a port that another protocol uses; every value is
 * distinct, so no entry is a duplicate; domains are {@code tls} or layer 7 and always carry a port;
 * {@code mysql} only on IPs and CIDRs with a port. Port-less entries are only {@code tcp} IPs and
 * CIDRs, one IP/CIDR entry in twenty (about 2% of all): the exact profile copies port-less entries
 * into every port, so this share is what keeps its chain count bounded at the standard sizes. The
 * random choices come from a {@link SplittableRandom} seeded with {@link #SEED}.
 */
final class PolicyMix {
  static final long SEED = 20261126L;

  /** Ports of layer-4 entries ({@code tcp}, {@code tls}, {@code mysql}). */
  static final int[] L4_PORTS = {
    443, 8443, 3306, 5432, 6379, 9200, 9300, 10000, 11211, 15000, 2379, 27017, 5672
  };

  /** Ports of layer-7 entries, each with its one protocol. */
  static final int[] L7_PORTS = {80, 8080, 8000, 9000, 8888, 9090, 50051};

  private static final Protocol[] L7_PROTOCOLS = {
    Protocol.HTTP,
    Protocol.HTTP,
    Protocol.HTTP,
    Protocol.HTTP2,
    Protocol.HTTP2,
    Protocol.GRPC,
    Protocol.GRPC
  };

  private PolicyMix() {}

  /** Which tcp IP and CIDR entries have no port. */
  enum PortlessShare {
    /** One IP/CIDR entry in twenty (about 2% of all entries): the standard mix. */
    STANDARD,
    /**
     * Every tcp IP/CIDR entry (about 16% of all): a stress mix that shows the chain bound at work.
     */
    EVERY_TCP
  }

  /** {@code size} entries of the standard mix, the same for the same size. */
  static List<Match> matches(int size) {
    return matches(size, PortlessShare.STANDARD);
  }

  /** {@code size} entries with the given port-less share, the same for the same arguments. */
  static List<Match> matches(int size, PortlessShare share) {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Match> matches = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int slot = i % 20;
      int round = i / 20;
      int l4 = L4_PORTS[random.nextInt(L4_PORTS.length)];
      int l7Index = random.nextInt(L7_PORTS.length);
      boolean v6 = round % 2 == 1;
      if (slot < 12) {
        Destination destination =
            round % 10 == 0 && slot == 0
                ? Destination.of(MatchType.DOMAIN, "*.zone" + i + ".example.org")
                : Destination.of(MatchType.DOMAIN, "svc" + i + ".team" + (i % 50) + ".example.com");
        matches.add(
            random.nextBoolean()
                ? Match.of(destination, l4, Protocol.TLS)
                : Match.of(destination, L7_PORTS[l7Index], L7_PROTOCOLS[l7Index]));
        continue;
      }
      Destination destination = slot < 17 ? ip(i, v6) : cidr(i, v6);
      int pick = random.nextInt(10);
      if (pick < 4) {
        matches.add(
            round % 20 == 3 || share == PortlessShare.EVERY_TCP
                ? Match.onEveryPort(destination, Protocol.TCP)
                : Match.of(destination, l4, Protocol.TCP));
      } else if (pick < 6) {
        matches.add(Match.of(destination, l4, Protocol.TLS));
      } else if (pick < 8) {
        matches.add(Match.of(destination, L7_PORTS[l7Index], L7_PROTOCOLS[l7Index]));
      } else {
        matches.add(Match.of(destination, l4, Protocol.MYSQL));
      }
    }
    return List.copyOf(matches);
  }

  /** The matches as one Kubernetes MeshPassthrough document, {@code passthroughMode: Matched}. */
  static String yaml(int size) {
    return yaml(size, PortlessShare.STANDARD);
  }

  /** The matches of {@link #matches(int, PortlessShare)} as one document. */
  static String yaml(int size, PortlessShare share) {
    StringBuilder text = new StringBuilder(64 * size + 256);
    text.append("apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata:\n  name: bench-")
        .append(size)
        .append(
            "\n  namespace: kuma-system\n  labels:\n    kuma.io/mesh: default\nspec:\n  targetRef:\n    kind: Mesh\n")
        .append("  default:\n    passthroughMode: Matched\n    appendMatch:\n");
    for (Match match : matches(size, share)) {
      text.append("    - type: ")
          .append(match.type().wireName())
          .append('\n')
          .append("      value: \"")
          .append(match.destination().value())
          .append("\"\n");
      match.port().ifPresent(p -> text.append("      port: ").append(p.value()).append('\n'));
      text.append("      protocol: ").append(match.protocol().wireName()).append('\n');
    }
    return text.toString();
  }

  private static Destination ip(int i, boolean v6) {
    return Destination.Ip.parse(
        v6
            ? "fd00::" + Integer.toHexString(i + 1)
            : "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
  }

  private static Destination cidr(int i, boolean v6) {
    int c = i / 20 * 3 + (i % 20 - 17);
    // Every fourth of the first networks contains generated IPs, as real allow-lists do.
    boolean overlapping = c % 4 == 0 && c < 256;
    if (v6) {
      return Destination.Cidr.parse(
          overlapping
              ? "fd00::" + Integer.toHexString(c) + "00/120"
              : "fd01:" + Integer.toHexString(c) + "::/32");
    }
    return Destination.Cidr.parse(
        overlapping ? "10.0." + c + ".0/24" : "172." + (16 + (c >> 8)) + "." + (c & 255) + ".0/24");
  }
}
