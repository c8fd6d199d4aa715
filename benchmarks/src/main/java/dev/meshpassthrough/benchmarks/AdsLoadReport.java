package dev.meshpassthrough.benchmarks;

import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.xds.AdsServer;
import dev.meshpassthrough.xds.DirectoryWatch;
import dev.meshpassthrough.xds.FileSource;
import dev.meshpassthrough.xds.PassthroughControlPlane;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An ADS load report, on loopback only, bounded in time, stopping by itself: {@code streams} proxy
 * files and the policy files of {@link ControlPlaneFixture} are written to a temporary directory
 * and served by {@link PassthroughControlPlane}, {@link FileSource}, {@link DirectoryWatch} and
 * {@link AdsServer} on 127.0.0.1; as many in-process gRPC clients (a few channels, each carrying
 * many streams) open one ADS stream per proxy, subscribe to listeners and clusters and ACK every
 * response as Envoy does. Once every client has its first responses, the changing policy's file is
 * replaced (atomic move) by its other conf, which changes {@code affected-percent}% of the nodes.
 * The report: the time from the file change to the last affected client receiving its new listener
 * version, the pipeline runs it took, and the used heap after {@code System.gc()}. It checks that
 * every affected client got a new listener version and that no other client got anything.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshpassthrough.benchmarks.AdsLoadReport \
 *     --streams 1000 --affected-percent 10 [--channels 8] [--timeout-seconds 120]
 * </pre>
 *
 * Exits 0 when every check holds, 1 when one fails, 2 on timeout.
 */
public final class AdsLoadReport {
  static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  /** How long unaffected clients are watched after the last affected one got its update. */
  static final Duration QUIET = Duration.ofSeconds(1);

  private AdsLoadReport() {}

  /**
   * What to run.
   *
   * @param streams the proxies, one ADS stream each
   * @param affectedPercent the share of the proxies the changed policy selects
   * @param channels the gRPC channels the streams are spread over
   * @param timeout the whole run's bound
   */
  record Options(int streams, int affectedPercent, int channels, Duration timeout) {
    Options {
      if (streams < 1 || affectedPercent < 1 || affectedPercent > 100 || channels < 1) {
        throw new IllegalArgumentException(
            "need streams >= 1, 1 <= affected-percent <= 100, channels >= 1");
      }
    }
  }

  /**
   * What was measured and checked.
   *
   * @param streams the streams opened
   * @param affected the nodes the change selects
   * @param updated the affected nodes that received a new listener version
   * @param unaffectedUpdated the other nodes that received anything after the change (want 0)
   * @param wrongVersion the affected nodes whose new listener version is not the one the control
   *     plane serves them (want 0)
   * @param runs the pipeline runs of the change
   * @param initialLoad from the first reload's start to every client having its first responses
   * @param latency from the file change to the last affected client's new listener version
   * @param medianLatency the same to the median affected client
   * @param heapUsedMb the used heap after {@code System.gc()}, server and clients (same JVM)
   */
  record Result(
      int streams,
      int affected,
      int updated,
      int unaffectedUpdated,
      int wrongVersion,
      long runs,
      Duration initialLoad,
      Duration latency,
      Duration medianLatency,
      long heapUsedMb) {
    boolean ok() {
      return updated == affected && unaffectedUpdated == 0 && wrongVersion == 0 && runs == affected;
    }
  }

  /**
   * Entry point.
   *
   * @param args {@code --streams N --affected-percent P [--channels C] [--timeout-seconds T]}
   */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: AdsLoadReport [--streams 1000] [--affected-percent 10] [--channels 8]"
              + " [--timeout-seconds 120]");
      System.exit(64);
      return;
    }
    // Belt and braces: whatever hangs, the process ends shortly after the bound.
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(options.timeout().plusSeconds(15).toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.err.println("AdsLoadReport: still running after the timeout; halting");
              Runtime.getRuntime().halt(2);
            },
            "ads-load-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Result result;
    try {
      result = run(options);
    } catch (TimeoutException e) {
      System.err.println(
          "AdsLoadReport: timed out after " + options.timeout() + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println(format(options, result));
    System.exit(result.ok() ? 0 : 1);
  }

  static Options parse(String[] args) {
    int streams = 1000;
    int percent = 10;
    int channels = 8;
    int timeout = 120;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg);
      }
      int value;
      try {
        value = Integer.parseInt(args[++i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number after " + arg + ": " + args[i], e);
      }
      switch (arg) {
        case "--streams" -> streams = value;
        case "--affected-percent" -> percent = value;
        case "--channels" -> channels = value;
        case "--timeout-seconds" -> timeout = value;
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Options(streams, percent, channels, Duration.ofSeconds(timeout));
  }

  static String format(Options options, Result r) {
    return String.format(
        Locale.ROOT,
        "ADS load report: %d streams over %d channels, %d%% affected%n"
            + "  initial load (reload of %d proxies -> every client has LDS+CDS): %d ms%n"
            + "  policy file change -> last affected client has its new listener version: %d ms"
            + " (median %d ms; includes the watch's %d ms debounce)%n"
            + "  affected nodes updated: %d / %d; unaffected nodes sent anything: %d;"
            + " wrong versions: %d%n"
            + "  pipeline runs for the change: %d%n"
            + "  used heap after System.gc() (server and clients, one JVM): %d MB%n"
            + "  %s",
        r.streams(),
        options.channels(),
        options.affectedPercent(),
        r.streams(),
        r.initialLoad().toMillis(),
        r.latency().toMillis(),
        r.medianLatency().toMillis(),
        DirectoryWatch.DEFAULT_DEBOUNCE.toMillis(),
        r.updated(),
        r.affected(),
        r.unaffectedUpdated(),
        r.wrongVersion(),
        r.runs(),
        r.heapUsedMb(),
        r.ok() ? "OK" : "FAILED");
  }

  /**
   * Runs the whole scenario and cleans up after itself.
   *
   * @throws TimeoutException when a phase does not end within the options' bound
   */
  static Result run(Options options) throws Exception {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    Path root = Files.createTempDirectory("ads-load-");
    Path policyDir = Files.createDirectory(root.resolve("policies"));
    Path proxyDir = Files.createDirectory(root.resolve("proxies"));
    List<ManagedChannel> channels = new ArrayList<>();
    List<Client> clients = new ArrayList<>();
    try {
      for (Map.Entry<String, String> f : ControlPlaneFixture.policyYaml(0).entrySet()) {
        Files.writeString(policyDir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      }
      for (int i = 0; i < options.streams(); i++) {
        Files.writeString(
            proxyDir.resolve("proxy-" + i + ".yaml"),
            ControlPlaneFixture.proxyYaml(i, options.affectedPercent()),
            StandardCharsets.UTF_8);
      }
      PassthroughControlPlane plane = PassthroughControlPlane.create(PassthroughPipeline.create());
      FileSource source = FileSource.create(plane, policyDir, proxyDir);
      long loadStart = System.nanoTime();
      FileSource.Reload first = source.reload();
      if (!first.rejected().isEmpty() || first.update().pushed().size() != options.streams()) {
        throw new IllegalStateException(
            "the first reload pushed "
                + first.update().pushed().size()
                + " of "
                + options.streams()
                + " nodes; rejected: "
                + first.rejected());
      }
      AtomicInteger reloads = new AtomicInteger();
      try (DirectoryWatch watch = DirectoryWatch.start(source, r -> reloads.incrementAndGet());
          AdsServer server =
              AdsServer.start(plane, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        // Clients end before the server closes: it would wait its grace time for open streams.
        try {
          for (int c = 0; c < options.channels(); c++) {
            channels.add(
                NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
          }
          CountDownLatch ready = new CountDownLatch(options.streams());
          CountDownLatch changed =
              new CountDownLatch(
                  ControlPlaneFixture.selectedCount(options.streams(), options.affectedPercent()));
          for (int i = 0; i < options.streams(); i++) {
            Client client =
                new Client(
                    ControlPlaneFixture.name(i),
                    ControlPlaneFixture.selected(i, options.affectedPercent()),
                    ready,
                    changed);
            clients.add(client);
            client.open(channels.get(i % channels.size()));
          }
          await(ready, deadline, "first responses", clients);
          Duration initialLoad = Duration.ofNanos(System.nanoTime() - loadStart);
          clients.forEach(Client::markBaseline);

          long runsBefore = plane.runs();
          Path tmp = policyDir.resolve(".changing.yaml.tmp");
          Files.writeString(tmp, ControlPlaneFixture.yaml(ControlPlaneFixture.changing(1)));
          long changeAt = System.nanoTime();
          Files.move(
              tmp,
              policyDir.resolve(ControlPlaneFixture.CHANGING + ".yaml"),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          await(changed, deadline, "new listener versions", clients);
          // Unaffected clients would have been sent their update with the affected ones: watch a
          // little longer for any such push.
          Thread.sleep(
              Math.min(QUIET.toMillis(), Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
          long runs = plane.runs() - runsBefore;

          List<Client> affected = clients.stream().filter(c -> c.affected).toList();
          int updated = (int) affected.stream().filter(c -> c.updatedAt > 0).count();
          int unaffectedUpdated =
              (int)
                  clients.stream()
                      .filter(c -> !c.affected && c.responsesSinceBaseline() > 0)
                      .count();
          int wrong = 0;
          for (Client c : affected) {
            String served =
                plane.status(c.node).flatMap(s -> s.listenersVersion()).orElse("(none)");
            if (!served.equals(c.listenerVersion)) {
              wrong++;
            }
          }
          List<Long> latencies =
              affected.stream()
                  .map(c -> c.updatedAt - changeAt)
                  .sorted(Comparator.naturalOrder())
                  .toList();
          Duration latency =
              latencies.isEmpty()
                  ? Duration.ZERO
                  : Duration.ofNanos(latencies.get(latencies.size() - 1));
          Duration median =
              latencies.isEmpty()
                  ? Duration.ZERO
                  : Duration.ofNanos(latencies.get(latencies.size() / 2));
          long heapMb = usedHeapMb();
          return new Result(
              options.streams(),
              affected.size(),
              updated,
              unaffectedUpdated,
              wrong,
              runs,
              initialLoad,
              latency,
              median,
              heapMb);
        } finally {
          clients.forEach(Client::close);
          for (ManagedChannel channel : channels) {
            channel.shutdownNow();
          }
          for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
          }
        }
      }
    } finally {
      deleteTree(root);
    }
  }

  private static long usedHeapMb() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.gc();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
  }

  private static void await(CountDownLatch latch, long deadline, String what, List<Client> clients)
      throws InterruptedException, TimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0 || !latch.await(left, TimeUnit.NANOSECONDS)) {
      long failed = clients.stream().filter(c -> c.error != null).count();
      String firstError =
          clients.stream()
              .map(c -> c.error)
              .filter(Objects::nonNull)
              .findFirst()
              .map(t -> "; first stream error: " + t)
              .orElse("");
      throw new TimeoutException(
          "waiting for "
              + what
              + ": "
              + latch.getCount()
              + " clients still waiting, "
              + failed
              + " streams failed"
              + firstError);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One Envoy-like ADS client: subscribes to listeners and clusters, ACKs every response. */
  static final class Client implements StreamObserver<DiscoveryResponse> {
    final String node;
    final boolean affected;
    private final CountDownLatch ready;
    private final CountDownLatch changed;
    private final AtomicInteger responses = new AtomicInteger();
    private final AtomicBoolean listenersSeen = new AtomicBoolean();
    private final AtomicBoolean clustersSeen = new AtomicBoolean();
    private final AtomicBoolean readyCounted = new AtomicBoolean();
    private final AtomicBoolean changeCounted = new AtomicBoolean();
    private @Nullable StreamObserver<DiscoveryRequest> requests;
    volatile @Nullable String listenerVersion;
    private volatile @Nullable String baselineListener;
    private volatile int baselineResponses = -1;
    volatile long updatedAt;
    volatile @Nullable Throwable error;

    Client(String node, boolean affected, CountDownLatch ready, CountDownLatch changed) {
      this.node = node;
      this.affected = affected;
      this.ready = ready;
      this.changed = changed;
    }

    void open(ManagedChannel channel) {
      StreamObserver<DiscoveryRequest> out =
          AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
      Node id = Node.newBuilder().setId(node).setCluster("bench").build();
      synchronized (this) {
        requests = out;
        // Envoy's order: clusters, then listeners.
        out.onNext(DiscoveryRequest.newBuilder().setNode(id).setTypeUrl(CLUSTER_TYPE).build());
        out.onNext(DiscoveryRequest.newBuilder().setNode(id).setTypeUrl(LISTENER_TYPE).build());
      }
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      long now = System.nanoTime();
      responses.incrementAndGet();
      String type = response.getTypeUrl();
      if (type.equals(LISTENER_TYPE)) {
        listenerVersion = response.getVersionInfo();
        listenersSeen.set(true);
        String baseline = baselineListener;
        if (affected
            && baseline != null
            && !baseline.equals(response.getVersionInfo())
            && changeCounted.compareAndSet(false, true)) {
          updatedAt = now;
          changed.countDown();
        }
      } else if (type.equals(CLUSTER_TYPE)) {
        clustersSeen.set(true);
      }
      if (listenersSeen.get() && clustersSeen.get() && readyCounted.compareAndSet(false, true)) {
        ready.countDown();
      }
      // The ACK: the version and nonce of the response, as Envoy sends it.
      synchronized (this) {
        if (requests != null) {
          requests.onNext(
              DiscoveryRequest.newBuilder()
                  .setNode(Node.newBuilder().setId(node).setCluster("bench"))
                  .setTypeUrl(type)
                  .setVersionInfo(response.getVersionInfo())
                  .setResponseNonce(response.getNonce())
                  .build());
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}

    void markBaseline() {
      baselineListener = listenerVersion;
      baselineResponses = responses.get();
    }

    int responsesSinceBaseline() {
      return baselineResponses < 0 ? 0 : responses.get() - baselineResponses;
    }

    synchronized void close() {
      if (requests != null) {
        try {
          requests.onCompleted();
        } catch (RuntimeException e) {
          // The stream is gone already.
        }
        requests = null;
      }
    }
  }
}
