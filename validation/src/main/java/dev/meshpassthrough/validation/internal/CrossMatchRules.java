package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.model.Match;
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
 */
final class CrossMatchRules {
  static final String L7_CLASH = "match.protocol.l7-clash";
  static final String DUPLICATE = "match.duplicate";

  private final ViolationSink sink;

  CrossMatchRules(ViolationSink sink) {
    this.sink = sink;
  }

  /** Checks the valid entries, given with their index in the list. */
  void check(List<Map.Entry<Integer, Match>> entries) {
    Map<MatchConflicts.EntryIdentity, Integer> firstByKey = new HashMap<>();
    for (int b = 0; b < entries.size(); b++) {
      int indexB = entries.get(b).getKey();
      Match matchB = entries.get(b).getValue();
      Integer duplicateOf = firstByKey.putIfAbsent(MatchConflicts.identity(matchB), indexB);
      if (duplicateOf != null) {
        if (!sink.hasRuleUnder(Paths.match(indexB), KumaMatchRules.DUPLICATE)) {
          sink.error(Paths.match(indexB).field("value"), DUPLICATE,
              "appendMatch[" + indexB + "] (" + matchB + ") repeats appendMatch[" + duplicateOf + "]: remove one of them");
        }
        continue;
      }
      if (matchB.protocol().isLayer7()) {
        Map.Entry<Integer, Match> entryB = entries.get(b);
        firstClash(entries, b).ifPresent(a -> reportClash(entries.get(a), entryB));
      }
    }
  }

  private static Optional<Integer> firstClash(List<Map.Entry<Integer, Match>> entries, int b) {
    Match matchB = entries.get(b).getValue();
    for (int a = 0; a < b; a++) {
      Match matchA = entries.get(a).getValue();
      if (MatchConflicts.layer7Clash(matchA, matchB)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  private void reportClash(Map.Entry<Integer, Match> a, Map.Entry<Integer, Match> b) {
    if (sink.hasErrorUnder(Paths.match(b.getKey()))
        || sink.hasRuleUnder(Paths.match(b.getKey()), KumaMatchRules.SAME_PORT_PROTOCOL)) {
      return; // already said, by Kuma's rule
    }
    String port = b.getValue().port().or(() -> a.getValue().port()).map(p -> "port " + p).orElse("every port");
    sink.error(Paths.match(b.getKey()).field("protocol"), L7_CLASH,
        "protocol " + b.getValue().protocol().wireName() + " of appendMatch[" + b.getKey() + "] (" + b.getValue()
            + ") and protocol " + a.getValue().protocol().wireName() + " of appendMatch[" + a.getKey() + "] ("
            + a.getValue() + ") meet on " + port + ": Envoy cannot tell http, http2 and grpc apart on one port, "
            + "so use one of them per port");
  }
}
