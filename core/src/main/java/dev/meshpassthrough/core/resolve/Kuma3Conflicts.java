package dev.meshpassthrough.core.resolve;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kuma 3.x's {@code FindConflicts}: which {@code appendMatch} entries build a filter chain, which
 * are dropped with a warning, and which port-less entries are not copied onto a port.
 *
 * <p><b>STAND-IN, to be replaced at merge by the real class written in parallel.</b> Only the API
 * ({@link #find}, {@link #kept}, {@link #dropped}, {@link #suppressed}, {@link #warnings}) is meant
 * to last. This version handles: a non-wildcard domain without a port (or with port 0) is dropped;
 * a later match whose chain identity (class {@code tcp}+{@code mysql} | {@code tls} | HTTP, port,
 * canonical IP or CIDR network, or "domains on port N" for L7 domains, or the SNI of a TLS domain)
 * an earlier kept match owns is dropped unless it has the same protocol and value (L7 domains of
 * one protocol merge); a kept port-less match is not copied onto a used port whose chain of the
 * same identity an explicit match owns, unless they would merge. It does not collapse IPv4-mapped
 * IPv6 CIDRs, and the order of the warnings (dropped first, then suppressed copies) is a guess.
 */
public final class Kuma3Conflicts {
  private static final String DOMAIN_NEEDS_PORT =
      "a domain needs a port, the sidecar resolves the domain to pin the destination";

  private final List<Integer> kept;
  private final List<Dropped> dropped;
  private final List<Suppressed> suppressed;
  private final List<String> warnings;

  private Kuma3Conflicts(
      List<Integer> kept,
      List<Dropped> dropped,
      List<Suppressed> suppressed,
      List<String> warnings) {
    this.kept = List.copyOf(kept);
    this.dropped = List.copyOf(dropped);
    this.suppressed = List.copyOf(suppressed);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * A match that builds no chain.
   *
   * @param index the index of the match in {@code appendMatch}
   * @param warning the warning Kuma gives for it
   */
  public record Dropped(int index, String warning) {}

  /**
   * A port-less match that is kept but not copied onto one port.
   *
   * @param index the index of the match in {@code appendMatch}
   * @param port the port it is not copied onto
   * @param warning the warning Kuma gives for it
   */
  public record Suppressed(int index, int port, String warning) {}

  /**
   * The conflicts of {@code matches}, first match wins.
   *
   * @param matches the {@code appendMatch} entries, in order
   * @return the kept, dropped and suppressed entries and the warnings
   */
  public static Kuma3Conflicts find(List<Match> matches) {
    List<Integer> kept = new ArrayList<>();
    List<Dropped> dropped = new ArrayList<>();
    Map<String, Integer> owners = new HashMap<>();
    for (int index = 0; index < matches.size(); index++) {
      Match match = matches.get(index);
      int port = match.port().map(Port::value).orElse(0);
      Destination destination = match.destination();
      if (destination instanceof Destination.Domain && port == 0) {
        dropped.add(new Dropped(index, ignoring(match, DOMAIN_NEEDS_PORT)));
        continue;
      }
      String chain = chain(match, port);
      String identity = chainClass(match.protocol()) + "|" + chain;
      Integer owner = owners.putIfAbsent(identity, index);
      if (owner == null) {
        kept.add(index);
        continue;
      }
      int at = index;
      conflict(matches.get(owner), match, chain)
          .ifPresentOrElse(
              reason -> dropped.add(new Dropped(at, ignoring(match, reason))), () -> kept.add(at));
    }
    List<Suppressed> suppressed = new ArrayList<>();
    Set<Integer> usedPorts = new TreeSet<>();
    for (int index : kept) {
      matches.get(index).port().map(Port::value).ifPresent(usedPorts::add);
    }
    for (int index : kept) {
      Match match = matches.get(index);
      if (match.port().isPresent()) {
        continue;
      }
      for (int port : usedPorts) {
        String chain = chain(match, port);
        Integer owner = owners.get(chainClass(match.protocol()) + "|" + chain);
        if (owner == null || owner == index) {
          continue;
        }
        int onPort = port;
        conflict(matches.get(owner), match, chain)
            .ifPresent(
                reason ->
                    suppressed.add(
                        new Suppressed(
                            index,
                            onPort,
                            reason
                                + ", matches with protocol "
                                + match.protocol().wireName()
                                + " and no port are not applied there")));
      }
    }
    Set<String> warnings = new LinkedHashSet<>();
    dropped.forEach(d -> warnings.add(d.warning()));
    suppressed.forEach(x -> warnings.add(x.warning()));
    return new Kuma3Conflicts(kept, dropped, suppressed, new ArrayList<>(warnings));
  }

  /** Why {@code candidate} cannot share {@code owner}'s chain, or empty when they merge. */
  private static Optional<String> conflict(Match owner, Match candidate, String chain) {
    boolean l7Domains =
        isDomain(candidate.destination())
            && candidate.protocol().isLayer7()
            && owner.protocol().isLayer7();
    if (owner.protocol() != candidate.protocol()) {
      return Optional.of(
          "protocols "
              + owner.protocol().wireName()
              + " and "
              + candidate.protocol().wireName()
              + " produce the same filter chain for "
              + chain);
    }
    if (l7Domains || owner.destination().value().equals(candidate.destination().value())) {
      return Optional.empty();
    }
    return Optional.of(
        "matches \""
            + owner.destination().value()
            + "\" and \""
            + candidate.destination().value()
            + "\" produce the same filter chain for "
            + chain);
  }

  /**
   * The indexes of the matches that build chains, ascending.
   *
   * @return the kept indexes
   */
  public List<Integer> kept() {
    return kept;
  }

  /**
   * The matches that build no chain, ascending by index.
   *
   * @return the dropped matches
   */
  public List<Dropped> dropped() {
    return dropped;
  }

  /**
   * The port-less copies that are not made.
   *
   * @return the suppressed copies
   */
  public List<Suppressed> suppressed() {
    return suppressed;
  }

  /**
   * Kuma's {@code Conf.Warnings()}: in order, without duplicates.
   *
   * @return the warnings
   */
  public List<String> warnings() {
    return warnings;
  }

  private static String ignoring(Match match, String reason) {
    return "ignoring match \"" + match.destination().value() + "\", " + reason;
  }

  private static boolean isDomain(Destination destination) {
    return destination instanceof Destination.Domain
        || destination instanceof Destination.WildcardDomain;
  }

  private static String chainClass(Protocol protocol) {
    return switch (protocol) {
      case TCP, MYSQL -> "tcp";
      case TLS -> "tls";
      default -> "http";
    };
  }

  private static String chain(Match match, int port) {
    String on = port == 0 ? " on all ports" : " on port " + port;
    Destination destination = match.destination();
    if (destination instanceof Destination.Ip ip) {
      int bits = ip.family().orElseThrow() == IpFamily.IPV4 ? 32 : 128;
      return InetAddresses.toAddrString(ip.address()) + "/" + bits + on;
    }
    if (destination instanceof Destination.Cidr cidr) {
      return cidr.networkText() + "/" + cidr.prefixLength() + on;
    }
    if (match.protocol() == Protocol.TLS) {
      return "domain \"" + destination.value() + "\"" + on;
    }
    return "domains" + on;
  }
}
