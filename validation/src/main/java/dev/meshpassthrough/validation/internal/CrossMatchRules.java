package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.Kuma3Conflicts;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.MatchConflicts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rules across the entries of one {@code appendMatch} list, independent of their order: layer-7
 * protocols that Envoy cannot tell apart on one port (port-less entries land on every port), and
 * entries that repeat another (also without a port, and in another spelling of the same address).
 * Only entries without errors of their own take part. What counts as a clash and as the same entry
 * is {@link MatchConflicts}, which the resolver uses on merged confs too.
 *
 * <p>Under Kuma 3.x, Kuma's own conflict rule comes first ({@link Kuma3Conflicts}): an entry that
 * builds a filter chain an earlier entry already builds is reported on {@code protocol} (another
 * protocol) or {@code value} (another value), with Kuma's text. Kuma 3.x drops such entries and
 * does not apply port-less copies where another entry owns the chain, so Envoy never sees two
 * chains it cannot tell apart: the layer-7 clash rule is Kuma 2.x's only.
 */
final class CrossMatchRules {
  static final String L7_CLASH = "match.protocol.l7-clash";
  static final String DUPLICATE = "match.duplicate";
  static final String KUMA3_CONFLICT = "kuma.match.conflict";

  private static final List<Protocol> PROTOCOLS = List.of(Protocol.values());

  private final ViolationSink sink;
  private final KumaLine line;

  CrossMatchRules(ViolationSink sink, KumaLine line) {
    this.sink = sink;
    this.line = line;
  }

  /** Checks the valid entries, given with their index in the list. */
  void check(List<Map.Entry<Integer, Match>> entries) {
    if (line == KumaLine.V3) {
      kuma3Conflicts(entries);
    }
    Map<MatchConflicts.EntryIdentity, Integer> firstByKey =
        new HashMap<>(entries.size() * 4 / 3 + 1);
    Map<Layer7Chain, Earliest> layer7 = new HashMap<>();
    for (int b = 0; b < entries.size(); b++) {
      int indexB = entries.get(b).getKey();
      Match matchB = entries.get(b).getValue();
      Integer duplicateOf = firstByKey.putIfAbsent(MatchConflicts.identity(matchB), indexB);
      if (duplicateOf != null) {
        if (!sink.hasRuleUnder(Paths.match(indexB), KumaMatchRules.DUPLICATE)
            && !sink.hasRuleUnder(Paths.match(indexB), KUMA3_CONFLICT)) {
          sink.error(
              Paths.match(indexB).field("value"),
              DUPLICATE,
              "appendMatch["
                  + indexB
                  + "] ("
                  + matchB
                  + ") repeats appendMatch["
                  + duplicateOf
                  + "]: remove one of them");
        }
      } else if (line == KumaLine.V2 && matchB.protocol().isLayer7()) {
        Map.Entry<Integer, Match> entryB = entries.get(b);
        firstClash(layer7, matchB).ifPresent(a -> reportClash(entries.get(a), entryB));
      }
      if (matchB.protocol().isLayer7()) {
        layer7
            .computeIfAbsent(
                new Layer7Chain(matchB.protocol(), address(matchB)), k -> new Earliest())
            .add(b, matchB.port());
      }
    }
    if (line == KumaLine.V2) {
      kuma2TranslatorConflicts(entries);
    }
  }

  /**
   * What Kuma 2.x's translator rejects and no rule above says: more than one of http, http2 and
   * grpc among the port-less entries (Kuma checks "port 0" like any port), and two chains Envoy
   * cannot tell apart ({@code tcp} and {@code mysql} on one address and port). Reported once, on
   * the later entry, when nothing was said of that entry yet; a warning at the lenient level, as
   * Kuma's translator is what refuses them (the pipeline then ends in a translation error).
   */
  private void kuma2TranslatorConflicts(List<Map.Entry<Integer, Match>> entries) {
    for (MatchConflicts.Conflict conflict :
        MatchConflicts.find(entries.stream().map(Map.Entry::getValue).toList())) {
      List<Integer> involved = conflict.entries();
      Map.Entry<Integer, Match> later = entries.get(involved.get(involved.size() - 1));
      Map.Entry<Integer, Match> first = entries.get(involved.get(0));
      FieldPath at = Paths.match(later.getKey());
      // Already said, as an error or, leniently, as a warning of a rule that says the same.
      if (sink.hasErrorUnder(at)
          || ViolationSink.LENIENT_RULES.stream().anyMatch(rule -> sink.hasRuleUnder(at, rule))) {
        continue;
      }
      String field =
          first.getValue().protocol() == later.getValue().protocol() ? "value" : "protocol";
      sink.error(
          Paths.match(later.getKey()).field(field),
          conflict.ruleId(),
          conflict.message(
              i ->
                  "appendMatch["
                      + entries.get(i).getKey()
                      + "] ("
                      + entries.get(i).getValue()
                      + ")"));
    }
  }

  /** Kuma 3.x's conflict rule: every dropped entry, on the field Kuma reports it on. */
  private void kuma3Conflicts(List<Map.Entry<Integer, Match>> entries) {
    Kuma3Conflicts conflicts =
        Kuma3Conflicts.find(entries.stream().map(Map.Entry::getValue).toList());
    for (Kuma3Conflicts.Dropped dropped : conflicts.dropped()) {
      if (dropped.kind() != Kuma3Conflicts.Kind.PROTOCOLS_CONFLICT
          && dropped.kind() != Kuma3Conflicts.Kind.MATCHES_CONFLICT) {
        continue; // a domain without a port is KumaMatchRules' and never gets here
      }
      int index = entries.get(dropped.index()).getKey();
      sink.error(
          Paths.match(index).field(dropped.violationField().orElseThrow()),
          KUMA3_CONFLICT,
          dropped.reason());
    }
  }

  /**
   * The position of the first earlier entry that {@link MatchConflicts#layer7Clash} says {@code
   * match} clashes with: another layer-7 protocol, ports that meet, the same chain address. Looked
   * up rather than searched: a search made 100,000 http entries take minutes to validate.
   */
  private static Optional<Integer> firstClash(Map<Layer7Chain, Earliest> earlier, Match match) {
    Optional<IpNetwork> address = address(match);
    int first = Integer.MAX_VALUE;
    for (Protocol other : PROTOCOLS) {
      Earliest seen =
          other.isLayer7() && other != match.protocol()
              ? earlier.get(new Layer7Chain(other, address))
              : null;
      if (seen != null) {
        first = Math.min(first, seen.meeting(match.port()));
      }
    }
    return first == Integer.MAX_VALUE ? Optional.empty() : Optional.of(first);
  }

  /**
   * What {@link MatchConflicts#layer7Clash} compares: every domain alike (empty), an address by its
   * network.
   */
  private static Optional<IpNetwork> address(Match match) {
    return match.destination().ipNetwork();
  }

  /** A layer-7 protocol and a chain address. */
  private record Layer7Chain(Protocol protocol, Optional<IpNetwork> address) {}

  /** The first positions of one {@link Layer7Chain}'s entries: any, port-less, and per port. */
  private static final class Earliest {
    private int any = Integer.MAX_VALUE;
    private int portless = Integer.MAX_VALUE;
    private final Map<Port, Integer> byPort = new HashMap<>();

    void add(int position, Optional<Port> port) {
      any = Math.min(any, position);
      if (port.isEmpty()) {
        portless = Math.min(portless, position);
      } else {
        byPort.putIfAbsent(port.get(), position);
      }
    }

    /** The first position whose port meets {@code port}; a port-less entry meets every port. */
    int meeting(Optional<Port> port) {
      return port.isEmpty()
          ? any
          : Math.min(portless, byPort.getOrDefault(port.get(), Integer.MAX_VALUE));
    }
  }

  private void reportClash(Map.Entry<Integer, Match> a, Map.Entry<Integer, Match> b) {
    if (sink.hasErrorUnder(Paths.match(b.getKey()))
        || sink.hasRuleUnder(Paths.match(b.getKey()), KumaMatchRules.SAME_PORT_PROTOCOL)) {
      return; // already said, by Kuma's rule
    }
    String port =
        b.getValue()
            .port()
            .or(() -> a.getValue().port())
            .map(p -> "port " + p)
            .orElse("every port");
    sink.error(
        Paths.match(b.getKey()).field("protocol"),
        L7_CLASH,
        "protocol "
            + b.getValue().protocol().wireName()
            + " of appendMatch["
            + b.getKey()
            + "] ("
            + b.getValue()
            + ") and protocol "
            + a.getValue().protocol().wireName()
            + " of appendMatch["
            + a.getKey()
            + "] ("
            + a.getValue()
            + ") meet on "
            + port
            + ": Envoy cannot tell http, http2 and grpc apart on one port, "
            + "so use one of them per port");
  }
}
