package dev.example.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A control plane as a user writes it: run meshpassthrough's per-proxy pipeline, serve the result with
 * java-control-plane over ADS on loopback, versioned by its content, and receive it with a gRPC client.
 */
class AdsServingTest {

  private static final String POLICY = String.join("\n",
      "apiVersion: kuma.io/v1alpha1",
      "kind: MeshPassthrough",
      "metadata:",
      "  name: allow-some-destinations",
      "  namespace: kuma-system",
      "  labels:",
      "    kuma.io/mesh: default",
      "spec:",
      "  targetRef:",
      "    kind: Mesh",
      "  default:",
      "    passthroughMode: Matched",
      "    appendMatch:",
      "    - type: Domain",
      "      value: httpbin.org",
      "      port: 443",
      "      protocol: tls",
      "    - type: IP",
      "      value: 10.240.15.39",
      "      port: 8888",
      "      protocol: tcp",
      "");
  private static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";
  private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void translatedPolicy_arrivesOverAds() throws Exception {
    TranslationResult translated = translate();
    Set<String> listenerNames = names(translated.listeners().stream().map(Listener::getName));
    Set<String> clusterNames = names(translated.clusters().stream().map(Cluster::getName));
    assertTrue(listenerNames.contains("self_transparentproxy_passthrough_outbound_ipv4"), listenerNames::toString);
    assertFalse(clusterNames.isEmpty());

    SimpleCache<String> cache = new SimpleCache<>(node -> "proxies");
    // The content version: an unchanged translation would give the same version and push nothing.
    cache.setSnapshot("proxies", Snapshot.create(
        translated.clusters(), List.of(), translated.listeners(), List.of(), List.of(), translated.contentVersion()));
    V3DiscoveryServer discovery = new V3DiscoveryServer(cache);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      Map<String, Set<String>> received = receive(channel);
      assertEquals(listenerNames, received.get(LISTENER_TYPE));
      assertEquals(clusterNames, received.get(CLUSTER_TYPE));
      assertEquals(Set.of(translated.contentVersion()), received.get("version"));
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "channel terminated");
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "server terminated");
    }
  }

  private static TranslationResult translate() {
    ParseResult parsed = PolicyParser.create().parse(POLICY, "policy.yaml");
    assertTrue(parsed.problems().isEmpty(), parsed.problems()::toString);
    PassthroughPipeline pipeline = PassthroughPipeline.create();
    PassthroughPipeline.Result result = pipeline.run(pipeline.validate(parsed.documents()), ProxyContext.defaultTransparentProxy());
    assertEquals(PassthroughPipeline.Status.TRANSLATED, result.status(), result.problems()::toString);
    return result.resources().orElseThrow();
  }

  /** Opens one ADS stream, asks for every cluster and listener, and returns the names of each type. */
  private static Map<String, Set<String>> receive(ManagedChannel channel) throws InterruptedException {
    BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            responses.add(response);
          }

          @Override
          public void onError(Throwable t) {
            responses.add(t);
          }

          @Override
          public void onCompleted() {
            responses.add("completed");
          }
        });
    Node node = Node.newBuilder().setId("proxy-0").setCluster("default").build();
    Map<String, Set<String>> received = new ConcurrentHashMap<>();
    try {
      for (String type : List.of(CLUSTER_TYPE, LISTENER_TYPE)) {
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).build());
      }
      while (!received.containsKey(LISTENER_TYPE) || !received.containsKey(CLUSTER_TYPE)) {
        Object next = responses.poll(20, TimeUnit.SECONDS);
        if (!(next instanceof DiscoveryResponse)) {
          throw new AssertionError("no ADS response in time, or the stream ended: " + next);
        }
        DiscoveryResponse response = (DiscoveryResponse) next;
        received.put(response.getTypeUrl(), names(response.getResourcesList().stream().map(AdsServingTest::name)));
        received.merge("version", Set.of(response.getVersionInfo()), (a, b) -> names(java.util.stream.Stream.concat(a.stream(), b.stream())));
      }
    } finally {
      requests.onCompleted();
    }
    return received;
  }

  private static String name(Any resource) {
    try {
      return resource.getTypeUrl().equals(LISTENER_TYPE)
          ? resource.unpack(Listener.class).getName()
          : resource.unpack(Cluster.class).getName();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> names(java.util.stream.Stream<String> names) {
    return names.collect(Collectors.toCollection(TreeSet::new));
  }
}
