package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.resolve.KumaLine;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kuma's validator for {@code appendMatch}, rule for rule and message for message, in Kuma's check
 * order (docs/selection-and-merge.md#appendmatch-checks), for the Kuma line given: Kuma 3.x drops
 * the same-port protocol check and requires a port on a non-wildcard domain. Stateful across the
 * entries of one list: create one per list.
 */
final class KumaMatchRules {
  static final String PORT_RANGE = "kuma.match.port.range";
  static final String MYSQL_PORT = "kuma.match.port.mysql-required";
  static final String SAME_PORT_PROTOCOL = "kuma.match.port.same-protocol";
  static final String DUPLICATE = "kuma.match.value.duplicate";
  static final String PROTOCOL = "kuma.match.protocol.enum";
  static final String CIDR = "kuma.match.value.cidr";
  static final String IP = "kuma.match.value.ip";
  static final String DOMAIN_PROTOCOL = "kuma.match.protocol.domain";
  static final String PARTIAL_WILDCARD = "kuma.match.value.partial-wildcard";
  static final String WILDCARD_L7_ALL_PORTS = "kuma.match.port.wildcard-l7";
  static final String DNS = "kuma.match.value.dns";
  static final String TYPE = "kuma.match.type.enum";
  static final String DOMAIN_PORT = "kuma.match.domain.port-required";
  static final String REQUIRED = "match.required";

  private static final BigInteger MAX_PORT = BigInteger.valueOf(65535);
  private static final List<String> L7 = List.of("grpc", "http", "http2");

  private final ViolationSink sink;
  private final KumaLine line;
  private final Map<BigInteger, String> protocolByPort = new HashMap<>();
  private final Set<PortProtocolValue> portProtocolValues;

  /** What Kuma's duplicate check compares. */
  private record PortProtocolValue(BigInteger port, String protocol, String value) {}

  /** Rules for a list of {@code entries} entries. */
  KumaMatchRules(ViolationSink sink, KumaLine line, int entries) {
    this.sink = sink;
    this.line = line;
    // Sized once: every entry with a port adds to it.
    this.portProtocolValues = new HashSet<>(entries * 4 / 3 + 1);
  }

  /** Checks the entry at {@code path}, whose value (if any) is {@code parsed}. */
  void check(FieldPath path, WrittenMatch match, ParsedValue parsed) {
    String protocol = match.protocol().orElse(Protocol.TCP.wireName());
    String value = match.value().orElse("");
    if (match.port().isPresent()) {
      BigInteger port = match.port().get();
      if (port.signum() <= 0 || port.compareTo(MAX_PORT) > 0) {
        sink.error(path.field("port"), PORT_RANGE, "port must be a valid (1-65535)");
      }
    }
    if (protocol.equals(Protocol.MYSQL.wireName()) && match.port().isEmpty()) {
      sink.error(path.field("port"), MYSQL_PORT, "port must be defined for Mysql protocol");
    }
    if (match.port().isPresent()) {
      BigInteger port = match.port().get();
      String recorded = protocolByPort.get(port);
      // Kuma 3.x dropped this check: conflicting chains are its conflict rule (CrossMatchRules).
      if (line == KumaLine.V2
          && recorded != null
          && !recorded.equals(protocol)
          && L7.contains(protocol)) {
        sink.error(
            path.field("port"),
            SAME_PORT_PROTOCOL,
            "using the same port in multiple matches requires the same protocol for the following protocols: [grpc http http2]");
      } else {
        protocolByPort.put(port, protocol);
      }
      if (!portProtocolValues.add(new PortProtocolValue(port, protocol, value))) {
        sink.error(
            path.field("value"),
            DUPLICATE,
            "value " + value + " is already defiend for this port and protocol");
      }
    }
    if (Protocol.fromWireName(protocol).isEmpty()) {
      sink.error(
          path.field("protocol"),
          PROTOCOL,
          "\"protocol\" must be one of [\"tcp\", \"tls\", \"grpc\", \"http\", \"http2\", \"mysql\"]");
    }
    if (match.type().isEmpty()) {
      sink.error(path.field("type"), REQUIRED, "must be defined");
      return;
    }
    if (match.value().isEmpty()) {
      sink.error(path.field("value"), REQUIRED, "must be defined");
    }
    Optional<MatchType> type = MatchType.fromWireName(match.type().get());
    if (type.isEmpty()) {
      sink.error(
          path.field("type"),
          TYPE,
          "provided type "
              + match.type().get()
              + " is not supported, one of Domain, IP, or CIDR is supported");
      return;
    }
    switch (type.get()) {
      case CIDR -> {
        if (match.value().isPresent() && parsed.cidr().isEmpty()) {
          explained(
              path.field("value"),
              CIDR,
              "provided CIDR has incorrect value",
              ValueExplanations.cidr(value));
        }
      }
      case IP -> {
        if (match.value().isPresent() && !isKumaIp(parsed)) {
          explained(
              path.field("value"),
              IP,
              "provided IP has incorrect value",
              ValueExplanations.ip(value));
        }
      }
      case DOMAIN -> checkDomain(path, match, protocol, value);
    }
  }

  private void checkDomain(FieldPath path, WrittenMatch match, String protocol, String value) {
    if (protocol.equals(Protocol.TCP.wireName()) || protocol.equals(Protocol.MYSQL.wireName())) {
      sink.error(
          path.field("protocol"),
          DOMAIN_PROTOCOL,
          "protocol " + protocol + " is not supported for a domain");
    }
    if (match.value().isEmpty()) {
      return;
    }
    if (line == KumaLine.V3 && !value.startsWith("*") && match.port().isEmpty()) {
      sink.error(
          path.field("port"),
          DOMAIN_PORT,
          "port must be defined for a domain, the sidecar resolves the domain to pin the destination");
    }
    if (value.startsWith("*") && !value.startsWith("*.") && value.length() > 1) {
      sink.error(
          path.field("value"),
          PARTIAL_WILDCARD,
          "provided DNS has incorrect value, partial wildcard is currently not supported");
    }
    if (value.startsWith("*") && match.port().isEmpty() && L7.contains(protocol)) {
      sink.error(
          path.field("port"),
          WILDCARD_L7_ALL_PORTS,
          "wildcard domains doesn't work for all ports and layer 7 protocol");
    }
    String rest = value.startsWith("*.") ? value.substring(2) : value;
    if (!rest.startsWith("*") && !KumaDnsName.isValid(rest)) {
      explained(
          path.field("value"),
          DNS,
          "provided DNS has incorrect value",
          ValueExplanations.domain(value));
    }
  }

  /**
   * Kuma's message under Kuma's rule id, or, where we can say more, Kuma's message followed by the
   * explanation under the explanation's own rule id: one violation per problem either way.
   */
  private void explained(
      FieldPath path,
      String kumaRule,
      String kumaMessage,
      Optional<ValueExplanations.Explanation> explanation) {
    if (explanation.isPresent()) {
      sink.error(path, explanation.get().ruleId(), kumaMessage + ": " + explanation.get().text());
    } else {
      sink.error(path, kumaRule, kumaMessage);
    }
  }

  /** Go's {@code net.ParseIP}: no zone ids. */
  private static boolean isKumaIp(ParsedValue value) {
    return value.ip().filter(ip -> !ip.zoneId()).isPresent();
  }
}
