package dev.meshpassthrough.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.TranslatorOptions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control plane served over ADS to gRPC clients that answer like an Envoy: two nodes with
 * different selections, content versions, no churn, incremental runs, ACK and NACK bookkeeping. No
 * Envoy: RealEnvoyAdsTest has one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdsClientTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  /** How long "nothing is sent" is watched for. */
  static final long QUIET_MS = 700;

  PassthroughPipeline pipeline;
  PassthroughControlPlane plane;
  AdsServer server;
  ManagedChannel channel;
  final List<Client> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    pipeline = PassthroughPipeline.create();
    plane = PassthroughControlPlane.create(pipeline);
    UpdateReport first =
        plane
            .update()
            .putPolicy(policy(BASE))
            .putPolicy(policy(webOnly("10.1.0.1")))
            .putProxy("web-0", proxy("web-0", "web"))
            .putProxy("backend-0", proxy("backend-0", "backend"))
            .apply();
    assertThat(first.runs()).isEqualTo(2);
    assertThat(first.pushed())
        .extracting(UpdateReport.NodeUpdate::node)
        .containsExactly("backend-0", "web-0");
    server = AdsServer.start(plane, new InetSocketAddress("127.0.0.1", 0));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    clients.forEach(Client::close);
    channel.shutdownNow();
    server.close();
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void twoNodes_getTheirOwnTranslation_versionedByContent() throws Exception {
    Client web = connect(Node.newBuilder().setId("web-0").build());
    Client backend = connect(Node.newBuilder().setId("backend-0").build());
    DiscoveryResponse webLds = web.next(LDS);
    DiscoveryResponse backendLds = backend.next(LDS);
    DiscoveryResponse webCds = web.next(CDS);

    TranslationResult expected = translate("web-0", "web");
    assertThat(webLds.getVersionInfo()).isEqualTo(expected.listenersVersion());
    assertThat(webCds.getVersionInfo()).isEqualTo(expected.clustersVersion());
    assertThat(listeners(webLds)).containsExactlyElementsOf(expected.listeners());
    assertThat(clusters(webCds)).containsExactlyElementsOf(expected.clusters());
    assertThat(backendLds.getVersionInfo())
        .isEqualTo(translate("backend-0", "backend").listenersVersion())
        .isNotEqualTo(webLds.getVersionInfo());
    // The IP only web-0's policy allows reaches web-0 only.
    assertThat(webLds.toString()).contains("10.1.0.1");
    assertThat(backendLds.toString()).doesNotContain("10.1.0.1");

    awaitStatus("web-0", s -> s.lastAck(LDS).isPresent() && s.lastAck(CDS).isPresent());
    NodeStatus status = plane.status("web-0").orElseThrow();
    assertThat(status.lastAck(LDS).orElseThrow().version()).isEqualTo(expected.listenersVersion());
    assertThat(status.listenersVersion()).contains(expected.listenersVersion());
    assertThat(status.appliedPolicies())
        .containsExactly("base.kuma-system", "web-only.kuma-system");
    assertThat(status.streams()).isEqualTo(1);
  }

  @Test
  void anUnchangedUpdate_sendsNothing_andRunsOnlyWhatItTouches() throws Exception {
    Client web = connect(Node.newBuilder().setId("web-0").build());
    Client backend = connect(Node.newBuilder().setId("backend-0").build());
    web.next(LDS);
    web.next(CDS);
    backend.next(LDS);
    backend.next(CDS);
    long runs = plane.runs();

    // The same policies and proxies again: nothing changed, nothing is run, nothing is sent.
    UpdateReport same =
        plane
            .update()
            .putPolicy(policy(BASE))
            .putPolicy(policy(webOnly("10.1.0.1")))
            .putProxy("web-0", proxy("web-0", "web"))
            .apply();
    assertThat(same.runs()).isZero();
    assertThat(plane.runs()).isEqualTo(runs);

    // A proxy read again with other whitespace is the same proxy: no run.
    assertThat(plane.update().putProxy("backend-0", proxy("backend-0", "backend")).apply().runs())
        .isZero();
    web.assertQuiet();
    backend.assertQuiet();
  }

  @Test
  void aChangedPolicy_runsAndSendsToTheNodeItSelects_only() throws Exception {
    Client web = connect(Node.newBuilder().setId("web-0").build());
    Client backend = connect(Node.newBuilder().setId("backend-0").build());
    String before = web.next(LDS).getVersionInfo();
    web.next(CDS);
    backend.next(LDS);
    backend.next(CDS);
    long runs = plane.runs();

    UpdateReport report = plane.update().putPolicy(policy(webOnly("10.2.0.2"))).apply();

    assertThat(report.runs()).isEqualTo(1);
    assertThat(plane.runs()).isEqualTo(runs + 1);
    assertThat(report.nodes())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.node()).isEqualTo("web-0");
              assertThat(n.kind()).isEqualTo(UpdateReport.Kind.PUSHED);
              assertThat(n.reasons())
                  .containsExactly("policy default/web-only.kuma-system changed");
            });
    DiscoveryResponse after = web.next(LDS);
    assertThat(after.getVersionInfo()).isNotEqualTo(before);
    assertThat(after.toString()).contains("10.2.0.2").doesNotContain("10.1.0.1");
    backend.assertQuiet();

    // The base policy involves both nodes: both run.
    assertThat(
            plane
                .update()
                .putPolicy(policy(BASE.replace("httpbin.org", "example.com")))
                .apply()
                .runs())
        .isEqualTo(2);
    // A policy that selects nobody runs nobody; removing it neither.
    assertThat(plane.update().putPolicy(policy(nobody())).apply().runs()).isZero();
    assertThat(plane.update().removePolicy("default", "nobody.kuma-system").apply().runs())
        .isZero();
    // Removing web-only runs web-0 again, as it involved it before the change.
    UpdateReport removed = plane.update().removePolicy("default", "web-only.kuma-system").apply();
    assertThat(removed.nodes()).extracting(UpdateReport.NodeUpdate::node).containsExactly("web-0");
    assertThat(removed.nodes().get(0).reasons())
        .containsExactly("policy default/web-only.kuma-system removed");
    // A policy that newly selects backend-0 runs it, as it involves it after the change.
    UpdateReport added =
        plane
            .update()
            .putPolicy(policy(webOnly("10.3.0.3").replace("app: web", "app: backend")))
            .apply();
    assertThat(added.nodes())
        .extracting(UpdateReport.NodeUpdate::node)
        .containsExactly("backend-0");
  }

  @Test
  void aNack_isRecorded_andTheRejectedVersionIsNotSentAgain() throws Exception {
    Client web = connect(Node.newBuilder().setId("web-0").build());
    web.nackNext(LDS, "Error adding/updating listener(s) x: rejected by the test");
    DiscoveryResponse rejected = web.next(LDS);
    web.next(CDS);

    NodeStatus status = awaitStatus("web-0", s -> s.nacks() == 1);
    NodeStatus.Nack nack = status.lastNack().orElseThrow();
    assertThat(nack.version()).isEqualTo(rejected.getVersionInfo());
    assertThat(nack.typeUrl()).isEqualTo(LDS);
    assertThat(nack.error()).contains("rejected by the test");
    // java-control-plane's cache alone would send the rejected version again at once, in a loop.
    web.assertQuiet();
    assertThat(plane.status("web-0").orElseThrow().nacks()).isEqualTo(1);

    // A later, different snapshot is sent normally and accepted.
    plane.update().putPolicy(policy(webOnly("10.4.0.4"))).apply();
    DiscoveryResponse next = web.next(LDS);
    assertThat(next.getVersionInfo()).isNotEqualTo(rejected.getVersionInfo());
    NodeStatus acked =
        awaitStatus(
            "web-0",
            s -> s.lastAck(LDS).map(a -> a.version().equals(next.getVersionInfo())).orElse(false));
    assertThat(acked.nacks()).isEqualTo(1);
  }

  @Test
  void theNodeKey_comesFromMetadata_elseTheNodeId() throws Exception {
    Node byMetadata =
        Node.newBuilder()
            .setId("sidecar~10.0.0.5~web-0.shop~shop.svc.cluster.local")
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        PassthroughControlPlane.NODE_METADATA_KEY,
                        Value.newBuilder().setStringValue("web-0").build()))
            .build();
    assertThat(PassthroughControlPlane.nodeKey(byMetadata)).isEqualTo("web-0");
    Client web = connect(byMetadata);
    assertThat(web.next(LDS).getVersionInfo())
        .isEqualTo(translate("web-0", "web").listenersVersion());

    // A node with no proxy is sent nothing, and shows in the status.
    Client stranger = connect(Node.newBuilder().setId("stranger").build());
    stranger.assertQuiet();
    NodeStatus status = awaitStatus("stranger", s -> s.streams() == 1);
    assertThat(status.outcome()).isEmpty();
    assertThat(status.problems()).extracting(p -> p.ruleId()).containsExactly("xds.node.unknown");
  }

  @Test
  void aFailedRun_keepsTheLastGoodSnapshot_andOtherNodesGoOn() throws Exception {
    // A bound that the current policies fit in, and a bigger policy does not.
    long size =
        translate("web-0", "web").listeners().stream().mapToLong(Listener::getSerializedSize).sum()
            + translate("web-0", "web").clusters().stream()
                .mapToLong(Cluster::getSerializedSize)
                .sum();
    PassthroughPipeline bounded =
        PassthroughPipeline.create(
            PassthroughPipeline.Options.defaults()
                .withTranslator(TranslatorOptions.defaults().withMaxOutputBytes(size * 2)));
    PassthroughControlPlane small = PassthroughControlPlane.create(bounded);
    small
        .update()
        .putPolicy(policy(BASE))
        .putPolicy(policy(webOnly("10.1.0.1")))
        .putProxy("web-0", proxy("web-0", "web"))
        .putProxy("backend-0", proxy("backend-0", "backend"))
        .apply();
    String good = small.status("web-0").orElseThrow().listenersVersion().orElseThrow();

    StringBuilder many = new StringBuilder(webOnly("10.1.0.1"));
    for (int i = 0; i < 400; i++) {
      many.append("    - {type: IP, value: 10.9.")
          .append(i / 200)
          .append('.')
          .append(i % 200)
          .append(", port: ")
          .append(1000 + i)
          .append(", protocol: tcp}\n");
    }
    UpdateReport report =
        small
            .update()
            .putPolicy(policy(many.toString()))
            .putPolicy(policy(BASE.replace("httpbin.org", "example.com")))
            .apply();

    UpdateReport.NodeUpdate web =
        report.nodes().stream().filter(n -> n.node().equals("web-0")).findFirst().orElseThrow();
    assertThat(web.kind()).isEqualTo(UpdateReport.Kind.KEPT_LAST_GOOD);
    assertThat(web.listenersVersion()).contains(good);
    assertThat(web.problems()).anyMatch(p -> p.isError() && p.message().contains("maxOutputBytes"));
    NodeStatus status = small.status("web-0").orElseThrow();
    assertThat(status.outcome()).contains(PassthroughPipeline.Status.TRANSLATION_ERROR);
    assertThat(status.listenersVersion()).contains(good);
    assertThat(
            report.nodes().stream()
                .filter(n -> n.node().equals("backend-0"))
                .findFirst()
                .orElseThrow()
                .kind())
        .isEqualTo(UpdateReport.Kind.PUSHED);
  }

  @Test
  void fileSource_keepsTheLastGoodPolicyFile_andReportsTheBadOne(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path proxies = Files.createDirectories(dir.resolve("proxies"));
    Files.writeString(policies.resolve("base.yaml"), BASE);
    Files.writeString(policies.resolve("web-only.yaml"), webOnly("10.1.0.1"));
    Files.writeString(proxies.resolve("web-0.yaml"), proxyText("web-0", "web"));
    Files.writeString(proxies.resolve("backend-0.yaml"), proxyText("backend-0", "backend"));
    PassthroughControlPlane files = PassthroughControlPlane.create(pipeline);
    FileSource source = FileSource.create(files, policies, proxies);

    FileSource.Reload first = source.reload();
    assertThat(first.update().runs()).isEqualTo(2);
    assertThat(source.ready()).isTrue();
    String good = files.status("web-0").orElseThrow().listenersVersion().orElseThrow();
    assertThat(good)
        .isEqualTo(plane.status("web-0").orElseThrow().listenersVersion().orElseThrow());
    assertThat(files.status("web-0").orElseThrow().source())
        .contains(proxies.resolve("web-0.yaml").toString());

    // Nothing changed: nothing read, nothing run.
    assertThat(source.reload().changedFiles()).isEmpty();
    // Invalid: the file's last good policy stays, the problem is reported with its place.
    Files.writeString(
        policies.resolve("web-only.yaml"),
        webOnly("10.1.0.1").replace("port: 8080", "port: 70000"));
    FileSource.Reload bad = source.reload();
    assertThat(bad.update().runs()).isZero();
    assertThat(bad.rejected())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.errors())
                    .anyMatch(e -> e.contains("web-only.yaml") && e.contains("port")));
    assertThat(files.status("web-0").orElseThrow().listenersVersion()).contains(good);
    // Fixed: applied.
    Files.writeString(policies.resolve("web-only.yaml"), webOnly("10.5.0.5"));
    FileSource.Reload fixed = source.reload();
    assertThat(fixed.update().pushed())
        .extracting(UpdateReport.NodeUpdate::node)
        .containsExactly("web-0");
    assertThat(source.files()).allMatch(f -> f.errors().isEmpty());
    // A second file defining the same policy is rejected; the first keeps it.
    Files.writeString(policies.resolve("x-copy.yaml"), webOnly("10.6.0.6"));
    FileSource.Reload clash = source.reload();
    assertThat(clash.update().runs()).isZero();
    assertThat(clash.rejected())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.errors())
                    .anyMatch(
                        e -> e.contains("already defined in") && e.contains("web-only.yaml")));
    // A deleted proxy file removes the proxy.
    Files.delete(proxies.resolve("backend-0.yaml"));
    assertThat(source.reload().update().nodes())
        .extracting(UpdateReport.NodeUpdate::kind)
        .containsExactly(UpdateReport.Kind.REMOVED);
    assertThat(files.status("backend-0")).isEmpty();
    // A broken proxy file keeps the proxy's last good snapshot.
    Files.writeString(proxies.resolve("web-0.yaml"), "dataplane: [");
    FileSource.Reload brokenProxy = source.reload();
    assertThat(brokenProxy.update().runs()).isZero();
    assertThat(brokenProxy.rejected()).hasSize(1);
    // A file over the input limit is not read into memory: rejected, nothing else changes.
    Files.write(policies.resolve("huge.yaml"), new byte[16 * 1024 * 1024 + 1]);
    FileSource.Reload huge = source.reload();
    assertThat(huge.update().runs()).isZero();
    assertThat(huge.rejected())
        .singleElement()
        .satisfies(f -> assertThat(f.errors()).anyMatch(e -> e.contains("the limit of an input")));
    assertThat(files.status("web-0").orElseThrow().listenersVersion()).isPresent();
  }

  @Test
  void incrementalXds_deltaStream_getsTheListeners_andThenTheChangedOnes() throws Exception {
    Inbox<DeltaDiscoveryResponse> received = new Inbox<>();
    StreamObserver<DeltaDiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(received);
    try {
      Node node = Node.newBuilder().setId("web-0").build();
      requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(LDS).build());
      DeltaDiscoveryResponse first = nextDelta(received);
      TranslationResult expected = translate("web-0", "web");
      assertThat(first.getResourcesList())
          .extracting(r -> r.getName())
          .containsExactlyInAnyOrderElementsOf(
              expected.listeners().stream().map(Listener::getName).toList());
      requests.onNext(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(LDS)
              .setResponseNonce(first.getNonce())
              .build());

      plane.update().putPolicy(policy(webOnly("10.8.0.8"))).apply();
      DeltaDiscoveryResponse changed = nextDelta(received);
      assertThat(changed.getResourcesList()).isNotEmpty();
      assertThat(changed.toString()).contains("10.8.0.8");
    } finally {
      requests.onCompleted();
    }
  }

  private static DeltaDiscoveryResponse nextDelta(Inbox<DeltaDiscoveryResponse> inbox)
      throws InterruptedException {
    Object next = inbox.received.poll(10, TimeUnit.SECONDS);
    if (!(next instanceof DeltaDiscoveryResponse response)) {
      throw new AssertionError("no delta response in time, or the stream ended: " + next);
    }
    return response;
  }

  // ---------------------------------------------------------------------------------------------

  static final String BASE =
      """
      apiVersion: kuma.io/v1alpha1
      kind: MeshPassthrough
      metadata:
        name: base
        namespace: kuma-system
        labels:
          kuma.io/mesh: default
      spec:
        targetRef:
          kind: Mesh
        default:
          passthroughMode: Matched
          appendMatch:
          - {type: Domain, value: httpbin.org, port: 443, protocol: tls}
      """;

  static String webOnly(String ip) {
    return """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata:
          name: web-only
          namespace: kuma-system
          labels:
            kuma.io/mesh: default
        spec:
          targetRef:
            kind: Dataplane
            labels:
              app: web
          default:
            appendMatch:
            - {type: IP, value: %s, port: 8080, protocol: tcp}
        """
        .formatted(ip);
  }

  static String nobody() {
    return webOnly("10.7.0.7").replace("web-only", "nobody").replace("app: web", "app: nobody");
  }

  static MeshPassthroughPolicy policy(String yaml) {
    ParseResult parsed = PolicyParser.create().parse(yaml, "policy.yaml");
    assertThat(parsed.problems()).isEmpty();
    PassthroughPipeline.Policies validated =
        PassthroughPipeline.create().validate(parsed.documents());
    assertThat(validated.problems()).isEmpty();
    return validated.set().policies().get(0);
  }

  static String proxyText(String name, String app) {
    try {
      String example =
          Files.readString(Path.of("..", "examples", "proxy.yaml"), StandardCharsets.UTF_8);
      return example.replace("web-0.shop", name).replace("app: web", "app: " + app);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ProxyContext proxy(String name, String app) {
    return ProxyContext.parse(proxyText(name, app), name + ".yaml");
  }

  TranslationResult translate(String name, String app) {
    PassthroughPipeline.Result result =
        pipeline.run(PassthroughPipeline.Policies.of(plane.policies()), proxy(name, app));
    return result.resources().orElseThrow();
  }

  NodeStatus awaitStatus(String node, Predicate<NodeStatus> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      NodeStatus status = plane.status(node).orElse(null);
      if (status != null && condition.test(status)) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "status of " + node + " not as expected in 10 s: " + plane.status(node));
  }

  static List<Listener> listeners(DiscoveryResponse response)
      throws InvalidProtocolBufferException {
    List<Listener> out = new ArrayList<>();
    for (var any : response.getResourcesList()) {
      out.add(any.unpack(Listener.class));
    }
    return out;
  }

  static List<Cluster> clusters(DiscoveryResponse response) throws InvalidProtocolBufferException {
    List<Cluster> out = new ArrayList<>();
    for (var any : response.getResourcesList()) {
      out.add(any.unpack(Cluster.class));
    }
    return out;
  }

  Client connect(Node node) {
    Client client = new Client(node);
    clients.add(client);
    client.subscribe(CDS);
    client.subscribe(LDS);
    return client;
  }

  /** Keeps what a stream receives: responses, an error, or "completed". */
  static class Inbox<T> implements StreamObserver<T> {
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      received.add(t);
    }

    @Override
    public void onCompleted() {
      received.add("completed");
    }
  }

  /** An ADS stream that answers like an Envoy: it ACKs every response, or NACKs the one asked. */
  final class Client extends Inbox<DiscoveryResponse> {
    final Node node;
    final Map<String, String> accepted = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, String> nackNext = new java.util.concurrent.ConcurrentHashMap<>();
    final StreamObserver<DiscoveryRequest> requests;
    final List<DiscoveryResponse> held = new ArrayList<>();

    Client(Node node) {
      this.node = node;
      this.requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
    }

    void subscribe(String type) {
      synchronized (requests) {
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).build());
      }
    }

    void nackNext(String type, String error) {
      nackNext.put(type, error);
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      DiscoveryRequest.Builder answer =
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(response.getTypeUrl())
              .setResponseNonce(response.getNonce());
      String error = nackNext.remove(response.getTypeUrl());
      if (error != null) {
        answer
            .setVersionInfo(accepted.getOrDefault(response.getTypeUrl(), ""))
            .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error));
      } else {
        accepted.put(response.getTypeUrl(), response.getVersionInfo());
        answer.setVersionInfo(response.getVersionInfo());
      }
      super.onNext(response);
      synchronized (requests) {
        requests.onNext(answer.build());
      }
    }

    /** The next response of {@code type}; responses of other types are kept for later. */
    DiscoveryResponse next(String type) throws InterruptedException {
      for (int i = 0; i < held.size(); i++) {
        if (held.get(i).getTypeUrl().equals(type)) {
          return held.remove(i);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        long left = deadline - System.nanoTime();
        Object next = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (!(next instanceof DiscoveryResponse response)) {
          throw new AssertionError(
              "no " + type + " response for " + node.getId() + " in time: " + next);
        }
        if (response.getTypeUrl().equals(type)) {
          return response;
        }
        held.add(response);
      }
    }

    void assertQuiet() throws InterruptedException {
      Object next = received.poll(QUIET_MS, TimeUnit.MILLISECONDS);
      assertThat(next)
          .as(
              "nothing sent to %s, held %s",
              node.getId(),
              new TreeSet<>(held.stream().map(DiscoveryResponse::getVersionInfo).toList()))
          .isNull();
      assertThat(held).isEmpty();
    }

    void close() {
      synchronized (requests) {
        requests.onCompleted();
      }
    }
  }
}
