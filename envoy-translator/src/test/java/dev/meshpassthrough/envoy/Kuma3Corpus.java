package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kuma 3.x corpus ({@code conformance/kuma3}) and the differences of its files from the 2.x
 * corpus: see its README.
 */
public final class Kuma3Corpus {
  /** Kuma's default redirect ports, which the 3.x corpus leaves to the test builder. */
  private static final int OUTBOUND_PORT = 15001;

  private static final int INBOUND_PORT = 15006;

  private Kuma3Corpus() {}

  /** The case directories of a category ({@code translate} or {@code order}), by name. */
  public static List<Path> cases(String category) {
    return KumaCorpus.cases("kuma3", category);
  }

  /**
   * A case's {@code proxy.yaml} in the 3.x schema, read as a proxy: transparent proxying given only
   * by its IP family mode gets Kuma's default redirect ports, and {@code proxy.dataplaneIPv6} is
   * checked against what the translator derives it from (an IPv6 Dataplane address or the {@code
   * dualstack} mode) and removed.
   */
  public static ProxyContext proxy(Path file) {
    ObjectNode root = (ObjectNode) KumaCorpus.tree(file);
    JsonNode dataplane = root.path("dataplane");
    if (dataplane.path("transparentProxy") instanceof ObjectNode tp
        && !tp.has("redirectPortOutbound")
        && !tp.has("redirectPortInbound")) {
      tp.put("redirectPortOutbound", OUTBOUND_PORT);
      tp.put("redirectPortInbound", INBOUND_PORT);
    }
    if (root.path("proxy") instanceof ObjectNode proxy && proxy.has("dataplaneIPv6")) {
      boolean dataplaneIpv6 = proxy.remove("dataplaneIPv6").asBoolean();
      String address = dataplane.path("address").asText("");
      boolean ipv6Address =
          InetAddresses.isInetAddress(address)
              && InetAddresses.forString(address) instanceof Inet6Address;
      boolean dualStack =
          dataplane.path("transparentProxy").path("ipFamilyMode").asText("").equals("dualstack");
      assertThat(ipv6Address || dualStack)
          .as("proxy.dataplaneIPv6 agrees with the dataplane address and IP family mode")
          .isEqualTo(dataplaneIpv6);
    }
    return ProxyContext.parse(root.toString(), file.toString());
  }

  /** A case's expected warnings ({@code warnings.yaml}), in order. */
  public static List<String> warnings(Path dir) {
    List<String> warnings = new ArrayList<>();
    KumaCorpus.tree(dir.resolve("warnings.yaml"))
        .path("warnings")
        .forEach(w -> warnings.add(w.asText()));
    return warnings;
  }

  /**
   * The matches of a case's policy without validation, as Kuma's test hands them over: port 0 (Go's
   * {@code pointer.To[uint32](0)}) is no port.
   */
  public static List<Match> unvalidatedMatches(Path policyFile) {
    WrittenConf written = KumaCorpus.document(policyFile).spec().conf().orElseThrow();
    return written.appendMatch().orElse(List.of()).stream().map(Kuma3Corpus::toMatch).toList();
  }

  private static Match toMatch(WrittenMatch written) {
    Destination destination =
        Destination.of(
            MatchType.fromWireName(written.type().orElseThrow()).orElseThrow(),
            written.value().orElseThrow());
    String protocolName = written.protocol().orElse("tcp");
    Protocol protocol =
        Protocol.fromWireName(protocolName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "protocol '" + protocolName + "' has no Protocol in the model"));
    Optional<Port> port =
        written.port().filter(p -> p.signum() != 0).map(p -> Port.of(p.intValueExact()));
    return new Match(destination, port, protocol);
  }
}
