package dev.meshpassthrough.testkit.envoy;

import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.listener;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.match;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDst;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.originalDstCluster;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.outbound;
import static dev.meshpassthrough.testkit.envoy.BehaviourFixtures.tcpChain;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpassthrough.testkit.envoy.internal.ConfigLoader;
import dev.meshpassthrough.testkit.envoy.internal.EnvoyProcess;
import dev.meshpassthrough.testkit.envoy.internal.ProbePlan;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facts about Envoy 1.40 that the real-Envoy harness ({@link RealEnvoy}) is built on: how {@code
 * envoy --mode validate} and LDS differ, what the PROXY protocol reader refuses, and how LDS
 * updates reuse sockets. {@code docs/envoy-behaviour.md} cites these tests.
 */
class EnvoyHarnessFactsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void validateMode_opensNoSocket_soAListenerOnABusyPortPasses() throws IOException {
    RealEnvoy envoy = SharedRealEnvoy.get();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Listener onBusyPort =
          listener("busy", "127.0.0.1", busy.getLocalPort())
              .addFilterChains(tcpChain("any", match()))
              .build();

      assertThat(
              envoy
                  .load(List.of(onBusyPort), List.of(originalDstCluster(BehaviourFixtures.CLUSTER)))
                  .accepted())
          .isTrue();
    }
  }

  @Test
  void validateMode_takesWellUnderASecond(@TempDir Path dir) {
    SharedRealEnvoy.get(); // honours -DskipRealEnvoy
    ConfigLoader loader = new ConfigLoader(EnvoyBinary.findOrInstall(), dir);
    List<Listener> listeners =
        List.of(outbound(originalDst()).addFilterChains(tcpChain("any", match())).build());
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      assertThat(loader.validate(listeners, List.of(originalDstCluster(BehaviourFixtures.CLUSTER))))
          .isEmpty();
      millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
    Collections.sort(millis);
    System.err.println("envoy --mode validate: " + millis + " ms");
    assertThat(millis.get(2)).as("median of %s ms", millis).isLessThan(1000);
  }

  @Test
  void duplicateListenerNames_passAStaticBootstrap_butLdsRejectsThem(@TempDir Path dir) {
    RealEnvoy envoy = SharedRealEnvoy.get();
    EnvoyCase duplicate =
        EnvoyCase.all("reject").stream()
            .filter(c -> c.name().equals("18-duplicate-listener-names"))
            .findFirst()
            .orElseThrow();

    assertThat(
            new ConfigLoader(EnvoyBinary.findOrInstall(), dir)
                .validate(duplicate.listeners(), duplicate.clusters()))
        .isEmpty();
    LoadResult live = envoy.load(duplicate.listeners(), duplicate.clusters());
    assertThat(live.accepted()).isFalse();
    assertThat(live.rejections())
        .anySatisfy(text -> assertThat(text).contains("duplicate listener l found"));
  }

  @Test
  void proxyProtocolReader_refusesMulticastAndBroadcastDestinations() throws IOException {
    RealEnvoy envoy = SharedRealEnvoy.get();
    assertThat(
            envoy
                .load(
                    List.of(
                        outbound(originalDst()).addFilterChains(tcpChain("any", match())).build()),
                    List.of(originalDstCluster(BehaviourFixtures.CLUSTER)))
                .accepted())
        .isTrue();
    int port = boundPorts(envoy).get("outbound");

    assertThat(exchange(port, "PROXY TCP4 198.18.9.1 192.0.2.1 40001 443\r\n"))
        .contains("MESHPASSTHROUGH-SINK");
    assertThat(exchange(port, "PROXY TCP4 198.18.9.1 224.0.0.1 40002 443\r\n")).isEmpty();
    assertThat(exchange(port, "PROXY TCP4 198.18.9.1 239.1.2.3 40003 443\r\n")).isEmpty();
    assertThat(exchange(port, "PROXY TCP4 198.18.9.1 255.255.255.255 40004 443\r\n")).isEmpty();
    assertThat(exchange(port, "PROXY TCP6 2001:db8::9 ff02::1 40005 443\r\n")).isEmpty();
  }

  @Test
  void listenersAddedWithTheSameConfiguredAddressAsRemovedOnes_takeOverTheirSocket(
      @TempDir Path dir) throws IOException {
    SharedRealEnvoy.get(); // honours -DskipRealEnvoy
    EnvoyBinary binary = EnvoyBinary.findOrInstall();
    ConfigLoader loader = new ConfigLoader(binary, dir);
    try (EnvoyProcess process = EnvoyProcess.start(binary, dir, loader.writeBootstrap())) {
      assertThat(loader.loadLive(process, plan(1, anyPort("a"), anyPort("b"))).accepted()).isTrue();
      Map<String, Integer> first = awaitPorts(process, List.of("a", "b"));
      assertThat(first.get("a")).isNotEqualTo(first.get("b"));

      assertThat(loader.loadLive(process, plan(2, anyPort("c"), anyPort("d"))).accepted()).isTrue();
      Map<String, Integer> second = awaitPorts(process, List.of("c", "d"));
      System.err.println("127.0.0.1:0 listeners: " + first + ", then " + second);

      assertThat(List.of(second.get("c"), second.get("d")))
          .as("%s, then %s", first, second)
          .allMatch(first.values()::contains);
      assertThat(second.get("c")).as("%s, then %s", first, second).isEqualTo(second.get("d"));
    }
  }

  @Test
  void fileBasedLds_reloadsOnARenameOntoTheFile_notOnAnInPlaceWrite_norOnOtherFiles(
      @TempDir Path dir) throws Exception {
    SharedRealEnvoy.get(); // honours -DskipRealEnvoy
    EnvoyBinary binary = EnvoyBinary.findOrInstall();
    ConfigLoader loader = new ConfigLoader(binary, dir);
    try (EnvoyProcess process = EnvoyProcess.start(binary, dir, loader.writeBootstrap())) {
      assertThat(loader.loadLive(process, plan(1, anyPort("a"))).accepted()).isTrue();
      Path lds = dir.resolve("xds").resolve("lds.pb");
      long before = counter(process, "listener_manager.lds.update_attempt");

      Files.write(lds, Files.readAllBytes(lds)); // rewritten in place
      Thread.sleep(1000);
      long afterInPlace = counter(process, "listener_manager.lds.update_attempt");
      Path stray = Files.write(dir.resolve("stray.pb"), new byte[] {1});
      Files.move(
          stray,
          dir.resolve("xds").resolve("stray.pb"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(1000);
      long afterStray = counter(process, "listener_manager.lds.update_attempt");
      Path copy = Files.write(dir.resolve("lds.copy"), Files.readAllBytes(lds));
      Files.move(
          copy,
          lds,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Thread.sleep(1000);
      long afterRename = counter(process, "listener_manager.lds.update_attempt");

      assertThat(afterInPlace).as("after an in-place write").isEqualTo(before);
      assertThat(afterStray)
          .as("after another file is renamed into the directory")
          .isEqualTo(before);
      assertThat(afterRename).as("after a rename onto lds.pb").isGreaterThan(before);
    }
  }

  private static long counter(EnvoyProcess process, String name) {
    String text = process.get("/stats?filter=^" + name.replace(".", "\\.") + "$");
    return text.lines()
        .map(l -> l.replaceAll(".*: ", ""))
        .filter(v -> v.matches("\\d+"))
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(0);
  }

  private static Listener anyPort(String name) {
    return listener(name, "127.0.0.1", 0)
        .addFilterChains(tcpChain(name + "-chain", match()))
        .build();
  }

  private static ProbePlan plan(int generation, Listener... listeners) {
    return new ProbePlan(generation, List.of(listeners), List.of(sinkless()), Map.of(), Map.of());
  }

  /**
   * A loopback STATIC cluster named {@link BehaviourFixtures#CLUSTER} with no endpoint: nothing
   * leaves the machine.
   */
  private static io.envoyproxy.envoy.config.cluster.v3.Cluster sinkless() {
    return io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
        .setName(BehaviourFixtures.CLUSTER)
        .setType(io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
        .build();
  }

  private static Map<String, Integer> awaitPorts(EnvoyProcess process, List<String> names)
      throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Map<String, Integer> ports = ports(process.get("/listeners?format=json"));
      if ((ports.keySet().equals(java.util.Set.copyOf(names))
              && ports.values().stream().allMatch(p -> p > 0))
          || System.nanoTime() > deadline) {
        return ports;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ports;
      }
    }
  }

  private static Map<String, Integer> boundPorts(RealEnvoy envoy) throws IOException {
    Map<String, Integer> ports = new HashMap<>();
    ports(envoy.admin("/listeners?format=json")).forEach(ports::put);
    return ports;
  }

  private static Map<String, Integer> ports(String json) throws IOException {
    Map<String, Integer> ports = new HashMap<>();
    for (JsonNode status : JSON.readTree(json).path("listener_statuses")) {
      ports.put(
          status.path("name").asText(),
          status.path("local_address").path("socket_address").path("port_value").asInt(0));
    }
    return ports;
  }

  /**
   * Sends a PROXY v1 header and a line to the probe listener on {@code port}; what comes back
   * within two seconds.
   */
  private static String exchange(int port, String header) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
      socket.setSoTimeout(2000);
      socket.getOutputStream().write((header + "hello\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[1024];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
          if (received.toString(StandardCharsets.US_ASCII).contains("MESHPASSTHROUGH-SINK")) {
            break;
          }
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // nothing more
      }
    }
    return received.toString(StandardCharsets.US_ASCII);
  }
}
