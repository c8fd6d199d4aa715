package dev.meshpassthrough.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.EnvoySimulator;
import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.LoadResult;
import dev.meshpassthrough.testkit.envoy.RealEnvoy;
import dev.meshpassthrough.testkit.envoy.internal.EnvoyProcess;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane against a real Envoy over ADS: one Envoy for the class, started from {@code
 * examples/serve/envoy-bootstrap.yaml} (xDS port and admin rewritten), fed from copies of {@code
 * examples/serve/policies} and {@code examples/serve/proxies} (listener ports rewritten to free
 * loopback ports) through a {@link FileSource} and a {@link DirectoryWatch}. Everything listens on
 * 127.0.0.1; every wait is bounded. The tests run in order: each starts from the state the previous
 * one left.
 *
 * <p>Without an Envoy the class fails (the binary is installed by {@code scripts/install-envoy}
 * when there is none); only {@code -DskipRealEnvoy=true} skips it, with a loud warning.
 */
@Tag("real-envoy")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class RealEnvoyAdsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEB = "web-0.shop";
  private static final String BACKEND = "backend-0.shop";
  private static final String LISTENER = "Listener";
  private static final String CLUSTER = "Cluster";
  private static final String POLICY_FILE = "shop-egress.yaml";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  @TempDir static Path dir;

  private static Path policyDir;
  private static Path proxyDir;
  private static int webPort;
  private static int backendPort;
  private static int adsPort;

  private static PassthroughControlPlane plane;
  private static FileSource source;
  private static DirectoryWatch watch;
  private static AdsServer ads;
  private static StatusServer status;
  private static EnvoyProcess envoy;

  @BeforeAll
  static void start() throws IOException {
    if (Boolean.getBoolean("skipRealEnvoy")) {
      System.err.println(
          "WARNING: -DskipRealEnvoy=true: the xDS module's real-Envoy tests (RealEnvoyAdsTest) do"
              + " NOT run.");
      Assumptions.abort("skipped by -DskipRealEnvoy=true");
    }
    EnvoyBinary binary = EnvoyBinary.findOrInstall();
    Path examples = examples();
    policyDir = Files.createDirectories(dir.resolve("policies"));
    proxyDir = Files.createDirectories(dir.resolve("proxies"));
    webPort = freePort();
    backendPort = freePort();
    for (Path p : list(examples.resolve("policies"))) {
      Files.copy(p, policyDir.resolve(p.getFileName().toString()));
    }
    Files.writeString(proxyDir.resolve("web-0.yaml"), webProxy(), StandardCharsets.UTF_8);
    Files.writeString(
        proxyDir.resolve("backend-0.yaml"),
        withPort(read(examples.resolve("proxies/backend-0.yaml")), 15002, backendPort),
        StandardCharsets.UTF_8);

    startControlPlane(new InetSocketAddress("127.0.0.1", 0));
    adsPort = ads.port();

    String bootstrap = read(examples.resolve("envoy-bootstrap.yaml"));
    assertThat(bootstrap).contains("port_value: 18000", "port_value: 9901", "id: " + WEB);
    Path envoyDir = Files.createDirectories(dir.resolve("envoy"));
    Path bootstrapFile = envoyDir.resolve("bootstrap.yaml");
    Files.writeString(
        bootstrapFile,
        bootstrap
            .replace("port_value: 18000", "port_value: " + adsPort)
            .replace("port_value: 9901", "port_value: 0"),
        StandardCharsets.UTF_8);
    envoy = EnvoyProcess.start(binary, envoyDir, bootstrapFile);
  }

  private static void startControlPlane(InetSocketAddress adsAddress) throws IOException {
    plane = PassthroughControlPlane.create(PassthroughPipeline.create());
    source = FileSource.create(plane, policyDir, proxyDir);
    FileSource.Reload first = source.reload();
    assertThat(first.rejected()).as("files rejected at start").isEmpty();
    watch = DirectoryWatch.start(source, reload -> {});
    ads = AdsServer.start(plane, adsAddress);
    status = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), plane, Optional.of(source));
  }

  @AfterAll
  static void stop() {
    // Envoy first: its streams end, so the ADS server closes at once.
    closeQuietly(envoy);
    closeQuietly(status);
    closeQuietly(watch);
    closeQuietly(ads);
  }

  @Test
  @Order(1)
  void envoyAcksWhatThePipelineTranslated() {
    await(
        "Envoy ACKs the node's listeners and clusters",
        () -> {
          JsonNode node = statusNode(WEB);
          return ackedVersion(node, LISTENER).equals(text(node.path("versions"), LISTENER))
              && ackedVersion(node, CLUSTER).equals(text(node.path("versions"), CLUSTER))
              && dump().listenersVersion().equals(text(node.path("versions"), LISTENER));
        });

    TranslationResult expected = translation(WEB);
    NodeStatus web = plane.status(WEB).orElseThrow();
    assertThat(web.listenersVersion()).contains(expected.listenersVersion());
    assertThat(web.clustersVersion()).contains(expected.clustersVersion());
    assertThat(web.appliedPolicies()).containsExactly("shop-egress.kuma-system");
    assertThat(web.nacks()).isZero();
    assertThat(plane.status(BACKEND).orElseThrow().appliedPolicies())
        .as("the MeshSubset policy selects the backend only")
        .containsExactlyInAnyOrder("shop-egress.kuma-system", "backend-payments.kuma-system");

    Dump dump = dump();
    assertThat(dump.listenersVersion()).isEqualTo(expected.listenersVersion());
    assertThat(dump.clustersVersion()).isEqualTo(expected.clustersVersion());
    assertThat(dump.listeners().keySet())
        .containsExactlyElementsOf(names(expected.listeners(), Listener::getName));
    assertThat(dump.clusters().keySet())
        .containsExactlyElementsOf(names(expected.clusters(), Cluster::getName));
    for (Listener l : expected.listeners()) {
      Entry<Listener> held = dump.listeners().get(l.getName());
      assertThat(held.proto()).as("listener " + l.getName()).isEqualTo(l);
      assertThat(held.version()).isEqualTo(expected.listenersVersion());
    }
    for (Cluster c : expected.clusters()) {
      Entry<Cluster> held = dump.clusters().get(c.getName());
      assertThat(held.proto()).as("cluster " + c.getName()).isEqualTo(c);
      assertThat(held.version()).isEqualTo(expected.clustersVersion());
    }

    JsonNode node = statusNode(WEB);
    assertThat(node.path("proxyFile").asText()).endsWith("web-0.yaml");
    assertThat(node.path("outcome").asText()).isEqualTo("TRANSLATED");
    assertThat(node.path("lastAck").path(LISTENER).path("version").asText())
        .isEqualTo(expected.listenersVersion());
    assertThat(node.path("lastAck").path(CLUSTER).path("version").asText())
        .isEqualTo(expected.clustersVersion());
    assertThat(node.path("lastAck").path(LISTENER).path("at").asText()).isNotEmpty();
    assertThat(node.path("lastNack").isNull()).isTrue();
    assertThat(node.path("nacks").asLong()).isZero();
    assertThat(node.path("streams").asInt()).isPositive();
    assertThat(status().path("ready").asBoolean()).isTrue();
  }

  @Test
  @Order(2)
  void anEditedPolicyReachesEnvoyWithinTwoSeconds() throws IOException {
    Dump before = dump();
    String edited =
        policyText()
            .replace(
                "    - type: IP\n",
                "    - type: Domain\n"
                    + "      value: example.com\n"
                    + "      port: 443\n"
                    + "      protocol: tls\n"
                    + "    - type: IP\n");
    assertThat(edited).isNotEqualTo(policyText()).contains("example.com");

    long start = System.nanoTime();
    editorWrite(policyDir.resolve(POLICY_FILE), edited);
    Dump after = null;
    long deadline = start + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Dump now = dump();
      if (!now.listenersVersion().equals(before.listenersVersion())) {
        after = now;
        break;
      }
      sleep(10);
    }
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    System.out.println(
        "measured: " + millis + "ms from the policy file's write to Envoy's new listeners");
    if (after == null) {
      fail("Envoy's listeners did not change within 10 s of the edit");
    }
    assertThat(millis).as("edit to Envoy, ms (goal: 2000)").isLessThan(10_000);

    TranslationResult expected = translation(WEB);
    assertThat(after.listenersVersion()).isEqualTo(expected.listenersVersion());
    assertThat(after.clustersVersion()).isEqualTo(expected.clustersVersion());
    assertThat(after.listeners().get(expected.listeners().get(0).getName()).proto())
        .isEqualTo(expected.listeners().get(0));
    assertThat(plane.status(WEB).orElseThrow().listenersVersion())
        .contains(expected.listenersVersion());
    await(
        "the ACK of the new listeners in /status",
        () -> ackedVersion(statusNode(WEB), LISTENER).equals(expected.listenersVersion()));
  }

  @Test
  @Order(3)
  void anInvalidEditLeavesEnvoyAlone_andStatusNamesTheFile() throws IOException {
    Dump before = dump();
    long lds = stat("listener_manager.lds.update_success");
    NodeStatus statusBefore = plane.status(WEB).orElseThrow();
    String good = policyText();
    String invalid = good.replace("port: 8888", "port: 70000");
    assertThat(invalid).isNotEqualTo(good);

    editorWrite(policyDir.resolve(POLICY_FILE), invalid);
    try {
      invalidEditChangesNothing(before, lds, statusBefore);
    } finally {
      // Put the good content back: nothing changes for Envoy.
      editorWrite(policyDir.resolve(POLICY_FILE), good);
      await("/status clears the file's errors", () -> fileErrors(POLICY_FILE).isEmpty());
    }
    assertThat(dump().listenersVersion()).isEqualTo(before.listenersVersion());
    assertThat(stat("listener_manager.lds.update_success")).isEqualTo(lds);
  }

  private static void invalidEditChangesNothing(Dump before, long lds, NodeStatus statusBefore) {
    await("/status reports the invalid policy file", () -> !fileErrors(POLICY_FILE).isEmpty());
    assertThat(String.join("\n", fileErrors(POLICY_FILE)))
        .contains(POLICY_FILE, "spec.default.appendMatch[", "].port", "kuma.match.port.range");
    sleep(500);
    Dump after = dump();
    assertThat(after.listenersVersion()).isEqualTo(before.listenersVersion());
    assertThat(after.clustersVersion()).isEqualTo(before.clustersVersion());
    assertThat(stat("listener_manager.lds.update_success")).isEqualTo(lds);
    NodeStatus statusAfter = plane.status(WEB).orElseThrow();
    assertThat(statusAfter.listenersVersion()).isEqualTo(statusBefore.listenersVersion());
    assertThat(statusAfter.clustersVersion()).isEqualTo(statusBefore.clustersVersion());
    assertThat(status().path("ready").asBoolean()).as("ready stays true").isTrue();
  }

  @Test
  @Order(4)
  void aSnapshotEnvoyRejectsIsNackedOnce_thenAFixIsAccepted() throws IOException {
    Dump before = dump();
    String good = read(proxyDir.resolve("web-0.yaml"));
    // Another listener on the passthrough listener's address and port: the translator passes it
    // through untouched, Envoy refuses to bind two listeners to one address.
    String bad =
        good.replace(
            "  clusters:\n",
            "  - origin: other\n"
                + "    envoy:\n"
                + "      name: a_listener_on_the_same_address\n"
                + "      address: {socketAddress: {address: 127.0.0.1, portValue: "
                + webPort
                + "}}\n"
                + "      filterChains:\n"
                + "      - filters:\n"
                + "        - name: envoy.filters.network.tcp_proxy\n"
                + "          typedConfig:\n"
                + "            '@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy\n"
                + "            statPrefix: same_address\n"
                + "            cluster: self_transparentproxy_passthrough_outbound_ipv4\n"
                + "  clusters:\n");
    assertThat(bad).isNotEqualTo(good);

    editorWrite(proxyDir.resolve("web-0.yaml"), bad);
    await("a NACK in /status", () -> statusNode(WEB).path("nacks").asLong() >= 1);
    JsonNode node = statusNode(WEB);
    String rejected = text(node.path("versions"), LISTENER);
    assertThat(rejected).isNotEqualTo(before.listenersVersion());
    assertThat(translation(WEB).listenersVersion()).isEqualTo(rejected);
    JsonNode nack = node.path("lastNack");
    System.out.println(
        "Envoy's NACK of Listener " + nack.path("version").asText() + ": " + nack.path("error"));
    assertThat(nack.path("type").asText()).isEqualTo(LISTENER);
    assertThat(nack.path("version").asText()).isEqualTo(rejected);
    assertThat(nack.path("error").asText()).contains("a_listener_on_the_same_address");
    assertThat(ackedVersion(node, LISTENER)).isEqualTo(before.listenersVersion());
    // Envoy keeps the refused listener in its dump with an error state only.
    JsonNode refused = dynamicListener("a_listener_on_the_same_address");
    assertThat(refused.has("error_state")).as(refused.toString()).isTrue();
    assertThat(refused.has("active_state") || refused.has("warming_state")).isFalse();

    // No resend loop: the rejected version is not sent again.
    long rejectedStat = stat("listener_manager.lds.update_rejected");
    sleep(3000);
    JsonNode later = statusNode(WEB);
    assertThat(later.path("nacks").asLong()).as("NACKs after 3 s").isEqualTo(1);
    assertThat(stat("listener_manager.lds.update_rejected")).isEqualTo(rejectedStat);
    assertThat(dump().listenersVersion()).isEqualTo(before.listenersVersion());

    // The fix: the listener moves to a port of its own; sent as usual, accepted.
    int ownPort = freePort();
    String fixed =
        bad.replace(
            "address: {socketAddress: {address: 127.0.0.1, portValue: "
                + webPort
                + "}}\n      filterChains",
            "address: {socketAddress: {address: 127.0.0.1, portValue: "
                + ownPort
                + "}}\n      filterChains");
    assertThat(fixed).isNotEqualTo(bad);
    editorWrite(proxyDir.resolve("web-0.yaml"), fixed);
    await(
        "Envoy accepts the fixed listeners",
        () -> {
          JsonNode n = statusNode(WEB);
          String version = text(n.path("versions"), LISTENER);
          return !version.equals(rejected)
              && ackedVersion(n, LISTENER).equals(version)
              && dump().listenersVersion().equals(version);
        });
    TranslationResult expected = translation(WEB);
    Dump after = dump();
    assertThat(after.listeners().keySet())
        .containsExactlyElementsOf(names(expected.listeners(), Listener::getName))
        .contains("a_listener_on_the_same_address");
    for (Listener l : expected.listeners()) {
      assertThat(after.listeners().get(l.getName()).proto()).isEqualTo(l);
    }
    assertThat(statusNode(WEB).path("nacks").asLong()).isEqualTo(1);
  }

  @Test
  @Order(5)
  void aRestartedServerChangesNothingEnvoyHolds() throws IOException {
    Dump before = dump();
    long lds = stat("listener_manager.lds.update_success");
    long cds = stat("cluster_manager.cds.update_success");
    assertThat(stat("control_plane.connected_state")).isEqualTo(1);

    closeQuietly(status);
    closeQuietly(watch);
    long closing = System.nanoTime();
    closeQuietly(ads);
    System.out.println(
        "AdsServer.close() with a connected Envoy took "
            + Duration.ofNanos(System.nanoTime() - closing).toMillis()
            + "ms");
    await(
        "Envoy notices the control plane is gone",
        () -> stat("control_plane.connected_state") == 0);
    startControlPlane(new InetSocketAddress("127.0.0.1", adsPort));
    await(
        "Envoy reconnects",
        () ->
            stat("control_plane.connected_state") == 1
                && statusNode(WEB).path("streams").asInt() >= 1);
    sleep(1500);

    Dump after = dump();
    assertThat(after.listenersVersion()).isEqualTo(before.listenersVersion());
    assertThat(after.clustersVersion()).isEqualTo(before.clustersVersion());
    assertThat(lastUpdated(after.listeners())).isEqualTo(lastUpdated(before.listeners()));
    assertThat(lastUpdated(after.clusters())).isEqualTo(lastUpdated(before.clusters()));
    assertThat(stat("listener_manager.lds.update_success")).isEqualTo(lds);
    assertThat(stat("cluster_manager.cds.update_success")).isEqualTo(cds);
    // The new control plane books the versions the Envoy says it holds as accepted.
    JsonNode node = statusNode(WEB);
    assertThat(ackedVersion(node, LISTENER)).isEqualTo(before.listenersVersion());
    assertThat(ackedVersion(node, CLUSTER)).isEqualTo(before.clustersVersion());
    assertThat(node.path("lastNack").isNull()).isTrue();
    NodeStatus web = plane.status(WEB).orElseThrow();
    assertThat(web.listenersVersion()).contains(before.listenersVersion());
    assertThat(web.clustersVersion()).contains(before.clustersVersion());
    assertThat(web.nacks()).isZero();
  }

  @Test
  @Order(6)
  void decisionsOfTheServedResources_agreeWithTheSimulator() {
    List<Connection> connections =
        List.of(
            Connection.tls("httpbin.org", 443),
            Connection.tls("en.wikipedia.org", 443),
            Connection.tls("api.stripe.com", 443),
            Connection.tls("evil.com", 443).dialing("192.0.2.7"),
            Connection.tcp("10.240.15.39", 8888),
            Connection.tcp("10.240.15.40", 8888));
    Map<String, List<Boolean>> allowed = new TreeMap<>();
    try (RealEnvoy real = RealEnvoy.start()) {
      for (String node : List.of(WEB, BACKEND)) {
        TranslationResult served = translation(node);
        NodeStatus st = plane.status(node).orElseThrow();
        assertThat(st.listenersVersion()).contains(served.listenersVersion());
        assertThat(st.clustersVersion()).contains(served.clustersVersion());
        // The served listeners bind 127.0.0.1 (a laptop has no iptables redirect); the harness
        // and the simulator model the transparent proxy's redirect to the wildcard address.
        List<Listener> listeners =
            served.listeners().stream().map(RealEnvoyAdsTest::onWildcard).toList();
        LoadResult load = real.load(listeners, served.clusters());
        assertThat(load.accepted()).as(node + ": " + load).isTrue();
        EnvoySimulator simulator = EnvoySimulator.of(listeners, served.clusters());
        List<Boolean> verdicts = new ArrayList<>();
        for (Connection c : connections) {
          Decision realDecision = real.decide(c);
          Decision simulated = simulator.simulate(c);
          assertThat(difference(realDecision, simulated)).as(node + " " + c).isEmpty();
          verdicts.add(realDecision.isAllowed());
        }
        allowed.put(node, verdicts);
      }
    }
    assertThat(allowed.get(WEB)).containsExactly(true, true, false, false, true, false);
    assertThat(allowed.get(BACKEND)).containsExactly(true, true, true, false, true, false);
  }

  // ----------------------------------------------------------------------------------------------

  private static Listener onWildcard(Listener l) {
    if (!l.getUseOriginalDst().getValue()
        || !l.getAddress().getSocketAddress().getAddress().equals("127.0.0.1")) {
      return l;
    }
    Listener.Builder b = l.toBuilder();
    b.getAddressBuilder().getSocketAddressBuilder().setAddress("0.0.0.0");
    return b.build();
  }

  /** Where a real decision and a simulated one differ, in what a real Envoy reports. */
  private static Optional<String> difference(Decision real, Decision simulated) {
    List<String> d = new ArrayList<>();
    if (real.outcome() != simulated.outcome()) {
      d.add("outcome " + real.outcome() + " != " + simulated.outcome());
    }
    if (!real.listener().equals(simulated.listener())) {
      d.add("listener " + real.listener() + " != " + simulated.listener());
    }
    if (!real.chain().equals(simulated.chain())) {
      d.add("chain " + real.chain() + " != " + simulated.chain());
    }
    if (real.isAllowed() && !real.cluster().equals(simulated.cluster())) {
      d.add("cluster " + real.cluster() + " != " + simulated.cluster());
    }
    return d.isEmpty()
        ? Optional.empty()
        : Optional.of(String.join("; ", d) + "\n real: " + real + "\n simulated: " + simulated);
  }

  /** What the pipeline makes of the node's proxy file under the policies the plane holds. */
  private static TranslationResult translation(String node) {
    String file = node.equals(WEB) ? "web-0.yaml" : "backend-0.yaml";
    try {
      PassthroughPipeline.Result result =
          plane
              .pipeline()
              .run(
                  PassthroughPipeline.Policies.of(plane.policies()),
                  ProxyContext.read(proxyDir.resolve(file)));
      assertThat(result.isOk()).as(result.problems().toString()).isTrue();
      return result.resources().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Entry<T>(T proto, String version, String lastUpdated) {}

  private record Dump(
      String listenersVersion,
      String clustersVersion,
      Map<String, Entry<Listener>> listeners,
      Map<String, Entry<Cluster>> clusters) {}

  private static Dump dump() {
    JsonNode root = json(envoy.get("/config_dump"));
    String lv = "";
    String cv = "";
    Map<String, Entry<Listener>> listeners = new TreeMap<>();
    Map<String, Entry<Cluster>> clusters = new TreeMap<>();
    for (JsonNode config : root.path("configs")) {
      String type = config.path("@type").asText();
      if (type.endsWith(".ListenersConfigDump")) {
        lv = config.path("version_info").asText("");
        for (JsonNode l : config.path("dynamic_listeners")) {
          JsonNode state = l.has("active_state") ? l.path("active_state") : l.path("warming_state");
          if (state.isMissingNode()) {
            continue; // only an error_state: never accepted
          }
          listeners.put(
              l.path("name").asText(),
              new Entry<>(
                  parse(state.path("listener"), Listener.newBuilder()),
                  state.path("version_info").asText(),
                  state.path("last_updated").asText()));
        }
      } else if (type.endsWith(".ClustersConfigDump")) {
        cv = config.path("version_info").asText("");
        for (JsonNode c : config.path("dynamic_active_clusters")) {
          Cluster cluster = parse(c.path("cluster"), Cluster.newBuilder());
          clusters.put(
              cluster.getName(),
              new Entry<>(
                  cluster, c.path("version_info").asText(), c.path("last_updated").asText()));
        }
      }
    }
    return new Dump(lv, cv, listeners, clusters);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T parse(JsonNode node, Message.Builder builder) {
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    copy.remove("@type");
    try {
      JsonFormat.parser()
          .usingTypeRegistry(TranslationResult.typeRegistry())
          .merge(JSON.writeValueAsString(copy), builder);
    } catch (IOException e) {
      throw new AssertionError("cannot read Envoy's config dump: " + e.getMessage(), e);
    }
    return (T) builder.build();
  }

  private static JsonNode dynamicListener(String name) {
    for (JsonNode config : json(envoy.get("/config_dump")).path("configs")) {
      for (JsonNode l : config.path("dynamic_listeners")) {
        if (l.path("name").asText().equals(name)) {
          return l;
        }
      }
    }
    return JSON.createObjectNode();
  }

  private static Map<String, String> lastUpdated(Map<String, ? extends Entry<?>> entries) {
    Map<String, String> out = new TreeMap<>();
    entries.forEach((name, e) -> out.put(name, e.lastUpdated()));
    return out;
  }

  private static long stat(String name) {
    for (String line : envoy.get("/stats?filter=^" + name.replace(".", "\\.") + "$").split("\n")) {
      int colon = line.lastIndexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
        return Long.parseLong(line.substring(colon + 1).strip());
      }
    }
    return -1;
  }

  private static JsonNode status() {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + status.address().getPort() + "/status"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try {
      HttpResponse<String> response =
          HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).isEqualTo(200);
      return json(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static JsonNode statusNode(String node) {
    for (JsonNode n : status().path("nodes")) {
      if (n.path("node").asText().equals(node)) {
        return n;
      }
    }
    return JSON.createObjectNode();
  }

  private static List<String> fileErrors(String fileName) {
    for (JsonNode f : status().path("files")) {
      if (Path.of(f.path("path").asText()).getFileName().toString().equals(fileName)) {
        List<String> errors = new ArrayList<>();
        f.path("errors").forEach(e -> errors.add(e.asText()));
        return errors;
      }
    }
    throw new AssertionError("no file " + fileName + " in /status");
  }

  private static String ackedVersion(JsonNode node, String type) {
    return node.path("lastAck").path(type).path("version").asText("");
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).asText("");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> List<String> names(
      List<T> resources, java.util.function.Function<T, String> name) {
    return resources.stream().map(name).sorted().toList();
  }

  /** As an editor saves: the whole text to a hidden temporary file, then an atomic rename. */
  private static void editorWrite(Path file, String text) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".swp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      sleep(25);
    }
    throw new AssertionError(
        "not within "
            + WAIT.toSeconds()
            + " s: "
            + what
            + (last == null ? "" : " (last error: " + last + ")")
            + "\n/status: "
            + safe(() -> status().toPrettyString())
            + "\nEnvoy's log:\n"
            + safe(() -> envoy.logTail()));
  }

  private static String safe(Supplier<String> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return "(" + e + ")";
    }
  }

  private static String policyText() {
    return read(policyDir.resolve(POLICY_FILE));
  }

  private static String webProxy() {
    return withPort(read(examples().resolve("proxies/web-0.yaml")), 15001, webPort);
  }

  private static String withPort(String proxy, int from, int to) {
    String out =
        proxy
            .replace("portValue: " + from + "}", "portValue: " + to + "}")
            .replace("redirectPortOutbound: " + from + "\n", "redirectPortOutbound: " + to + "\n");
    assertThat(out).contains("portValue: " + to + "}", "redirectPortOutbound: " + to);
    return out;
  }

  private static Path examples() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        d != null;
        d = d.getParent()) {
      Path serve = d.resolve("examples").resolve("serve");
      if (Files.isDirectory(serve)) {
        return serve;
      }
    }
    throw new AssertionError("no examples/serve above " + System.getProperty("user.dir"));
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("closing " + c + ": " + e);
    }
  }
}
