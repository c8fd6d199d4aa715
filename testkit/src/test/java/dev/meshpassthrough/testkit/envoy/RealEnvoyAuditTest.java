package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.HostAndPort;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.Enforcement;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslatorOptions;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.PolicyIntent;
import dev.meshpassthrough.testkit.PolicySimulation;
import dev.meshpassthrough.testkit.Verdict;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import dev.meshpassthrough.testkit.jqwik.PassthroughArbitraries;
import dev.meshpassthrough.validation.ValidationLevel;
import dev.meshpassthrough.validation.ValidationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Audit mode on a real Envoy 1.40, for every case of Kuma's translation corpus and a generated
 * sample, in both encodings, on the default transparent proxy: every connection reaches its sink
 * (Envoy forwards it); one the policy denies is flagged and appears exactly once in the audit log,
 * with the fields the README documents (the dialed address and port, SNI, authority, the protocol
 * Envoy saw, listener and chain); one the policy allows is not flagged and appears nowhere in it.
 * The real Envoy decides as the simulator does (outcome included), so the simulator's audit
 * property ({@code AuditPropertiesTest}) speaks for Envoy too.
 *
 * <p>Each connection comes from a client address of its own ({@link Connection#from}), the key of
 * its audit log lines ({@code source}). The harness writes the audit log into its own access log
 * ({@link RealEnvoy#auditLog()}).
 */
class RealEnvoyAuditTest {
  private static final ProxyContext PROXY = ProxyContext.defaultTransparentProxy();
  private static final ValidationOptions LENIENT =
      new ValidationOptions(KumaLine.V2, ValidationLevel.LENIENT);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SOURCES = new AtomicLong();
  private static final AtomicLong FLAGGED = new AtomicLong();
  private static final AtomicLong ALLOWED = new AtomicLong();

  static Stream<Arguments> corpus() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(RealEnvoyConformanceTest.CORPUS)) {
      for (Path dir : dirs.sorted().toList()) {
        for (Encoding encoding : Encoding.values()) {
          cases.add(Arguments.of(dir.getFileName().toString(), encoding));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("corpus")
  void corpusCase_forwardsEverything_logsExactlyWhatThePolicyDenies(
      String name, Encoding encoding) {
    PassthroughConf conf = RealEnvoyConformanceTest.conf(name);
    assertThat(judge(SharedRealEnvoy.get(), conf, encoding, CorpusConnections.aimedAt(conf)))
        .as("case %s, %s", name, encoding)
        .isEmpty();
  }

  @Property(tries = 40, seed = "20261205", shrinking = ShrinkingMode.OFF)
  void generatedPolicies_forwardEverything_logExactlyWhatThePolicyDenies(
      @ForAll("policiesAndConnections") Tuple2<PassthroughConf, List<Connection>> sample) {
    if (SharedRealEnvoy.skipped()) {
      return;
    }
    for (Encoding encoding : Encoding.values()) {
      assertThat(judge(SharedRealEnvoy.get(), sample.get1(), encoding, sample.get2()))
          .as("under policy %s, %s", sample.get1(), encoding)
          .isEmpty();
    }
  }

  private static List<String> judge(
      RealEnvoy envoy, PassthroughConf conf, Encoding encoding, List<Connection> aimed) {
    List<Connection> connections =
        aimed.stream()
            .filter(c -> RealEnvoy.dialable(c.destination()))
            .map(RealEnvoyAuditTest::fromOwnSource)
            .toList();
    PolicySimulation simulation =
        PolicySimulation.translate(
            conf,
            TranslatorOptions.defaults()
                .withEncoding(encoding)
                .withEnforcement(Enforcement.AUDIT)
                .withAuditLogPath("/dev/null"),
            PROXY);
    List<String> failures = new ArrayList<>();
    if (!EnvoyAcceptance.check(simulation.resources()).isEmpty()) {
      failures.add("EnvoyAcceptance: " + EnvoyAcceptance.check(simulation.resources()));
    }
    if (!envoy.load(simulation.resources()).accepted()) {
      failures.add("real Envoy rejects it: " + envoy.load(simulation.resources()));
      return failures;
    }
    PolicyIntent intent = PolicyIntent.of(conf);
    List<Decision> decisions = envoy.decideAll(connections);
    List<JsonNode> lines = envoy.auditLog().stream().map(RealEnvoyAuditTest::json).toList();
    for (int i = 0; i < connections.size(); i++) {
      Connection connection = connections.get(i);
      Decision real = decisions.get(i);
      String at = encoding + " " + connection + ": ";
      DecisionComparison.difference(real, simulation.simulate(connection))
          .ifPresent(d -> failures.add(at + "real Envoy and simulator differ: " + d));
      Verdict meant = intent.judge(connection).verdict();
      String source = source(connection);
      List<JsonNode> logged =
          lines.stream().filter(l -> l.path("source").asText().equals(source)).toList();
      if (refusedByTheHttpCodec(connection) && !real.isAllowed()) {
        if (meant != Verdict.DENY) {
          failures.add(at + "the codec refused a request the policy allows: " + real);
        }
        continue;
      }
      if (!real.isAllowed()) {
        failures.add(at + "not forwarded under audit: " + real);
      }
      if (real.isFlagged() != (meant == Verdict.DENY)) {
        failures.add(at + "flagged " + real.isFlagged() + " but the policy says " + meant);
      }
      if (meant == Verdict.DENY) {
        FLAGGED.incrementAndGet();
        if (logged.size() != 1) {
          failures.add(at + "would-deny, but " + logged.size() + " audit lines: " + logged);
        } else {
          fieldProblems(connection, real, logged.get(0)).forEach(p -> failures.add(at + p));
        }
      } else {
        ALLOWED.incrementAndGet();
        if (!logged.isEmpty()) {
          failures.add(at + "allowed, but in the audit log: " + logged);
        }
      }
    }
    return failures;
  }

  /**
   * What is wrong with the audit line of {@code connection}, which Envoy decided as {@code real}.
   */
  private static List<String> fieldProblems(Connection connection, Decision real, JsonNode line) {
    List<String> problems = new ArrayList<>();
    check(problems, line, "verdict", Optional.of("would-deny"));
    check(problems, line, "destination_address", Optional.of(connection.destinationText()));
    if (!line.path("destination_port").isNumber()
        || line.path("destination_port").asInt() != connection.port()) {
      problems.add("destination_port " + line.path("destination_port") + " in " + line);
    }
    String chain = real.chain().orElse("");
    // On a port Envoy does not inspect (an audit chain for any traffic), it has not read the SNI;
    // tls_inspector gives it in lower case.
    Optional<String> sni =
        connection.payload() instanceof Connection.TlsClientHello hello && !chain.endsWith("_any")
            ? hello.serverName().map(n -> n.toLowerCase(Locale.ROOT))
            : Optional.empty();
    check(problems, line, "sni", sni);
    // A request reaches an HTTP connection manager on a chain that routes by Host (not an audit
    // chain) or on the audit chain for HTTP; the other audit chains forward bytes.
    boolean viaHttpManager =
        connection.payload() instanceof Connection.HttpRequest
            && (!chain.startsWith("meshpassthrough_audit_") || chain.endsWith("_http"));
    // strip_any_host_port has removed the port before the log is written.
    Optional<String> authority =
        connection.payload() instanceof Connection.HttpRequest request && viaHttpManager
            ? request.host().map(RealEnvoyAuditTest::withoutPort)
            : Optional.empty();
    check(problems, line, "authority", authority);
    String protocol;
    if (connection.payload() instanceof Connection.HttpRequest request && viaHttpManager) {
      protocol = request.version() == Connection.HttpVersion.H2C ? "h2c" : "http";
    } else if (connection.payload() instanceof Connection.TlsClientHello
        && chain.endsWith("_tls")) {
      protocol = "tls";
    } else {
      protocol = "raw";
    }
    check(problems, line, "protocol", Optional.of(protocol));
    check(problems, line, "listener", real.listener());
    check(problems, line, "chain", real.chain());
    JsonNode nearest = line.path("nearest_entry");
    if (!nearest.isNull() && !nearest.asText().startsWith("appendMatch[")) {
      problems.add("nearest_entry " + nearest + " in " + line);
    }
    if (!line.path("time")
        .asText()
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")) {
      problems.add("time " + line.path("time") + " in " + line);
    }
    return problems;
  }

  private static void check(
      List<String> problems, JsonNode line, String key, Optional<String> expected) {
    JsonNode value = line.path(key);
    Optional<String> actual =
        value.isNull() || value.isMissingNode() ? Optional.empty() : Optional.of(value.asText());
    if (!line.has(key) || !actual.equals(expected)) {
      problems.add(key + " " + value + " (expected " + expected.orElse("null") + ") in " + line);
    }
  }

  /** A Host without its port, as Envoy's {@code strip_any_host_port} leaves it. */
  private static String withoutPort(String host) {
    HostAndPort parsed = HostAndPort.fromString(host);
    if (!parsed.hasPort()) {
      return host;
    }
    return host.startsWith("[") ? "[" + parsed.getHost() + "]" : parsed.getHost();
  }

  private static boolean refusedByTheHttpCodec(Connection connection) {
    return connection.payload() instanceof Connection.HttpRequest request
        && request.host().isEmpty()
        && request.version() != Connection.HttpVersion.HTTP_1_0;
  }

  /** {@code connection} from a client address no other connection of this JVM uses. */
  private static Connection fromOwnSource(Connection connection) {
    long n = SOURCES.getAndIncrement();
    String ip =
        connection.family() == dev.meshpassthrough.core.model.IpFamily.IPV6
            ? "2001:db8:ffff::" + Long.toHexString(n / 60_000 + 1)
            : "198.51.100." + (n / 60_000 % 250 + 1);
    return connection.from(ip, (int) (1024 + n % 60_000));
  }

  private static String source(Connection connection) {
    return dev.meshpassthrough.testkit.envoy.internal.ProbeConversation.remoteKey(
        connection.source().orElseThrow());
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("an audit log line that is not JSON: " + line, e);
    }
  }

  @Provide
  Arbitrary<Tuple2<PassthroughConf, List<Connection>>> policiesAndConnections() {
    return PassthroughArbitraries.confs(LENIENT)
        .flatMap(
            conf ->
                PassthroughArbitraries.connectionsFor(conf)
                    .list()
                    .ofSize(13)
                    .map(c -> Tuple.of(conf, c)));
  }

  @AfterContainer
  static void report() {
    System.err.printf(
        "real-Envoy audit proof: %d would-deny connections forwarded and logged once, %d allowed ones forwarded and not logged%n",
        FLAGGED.get(), ALLOWED.get());
  }
}
