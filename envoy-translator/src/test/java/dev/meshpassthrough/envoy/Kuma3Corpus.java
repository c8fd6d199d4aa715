package dev.meshpassthrough.envoy;

import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kuma 3.x corpus ({@code conformance/kuma3}) and the differences of its files from the 2.x
 * corpus: see its README.
 */
public final class Kuma3Corpus {
  private Kuma3Corpus() {}

  /** The case directories of a category ({@code translate} or {@code order}), by name. */
  public static List<Path> cases(String category) {
    return KumaCorpus.cases("kuma3", category);
  }

  /**
   * A case's {@code proxy.yaml} in the 3.x schema, read as users read it ({@code ProxyContext}).
   */
  public static ProxyContext proxy(Path file) {
    try {
      return ProxyContext.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
