package dev.meshpassthrough.testkit.envoy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import dev.meshpassthrough.testkit.envoy.internal.AccessLogTail;
import dev.meshpassthrough.testkit.envoy.internal.ConfigLoader;
import dev.meshpassthrough.testkit.envoy.internal.EnvoyProcess;
import dev.meshpassthrough.testkit.envoy.internal.ListenerPorts;
import dev.meshpassthrough.testkit.envoy.internal.PinningWorld;
import dev.meshpassthrough.testkit.envoy.internal.ProbeConversation;
import dev.meshpassthrough.testkit.envoy.internal.ProbePlan;
import dev.meshpassthrough.testkit.envoy.internal.ProbeRewriter;
import dev.meshpassthrough.testkit.envoy.internal.RealDecisions;
import dev.meshpassthrough.testkit.envoy.internal.Sink;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * One real Envoy process on loopback, as the judge of a configuration: whether Envoy accepts it,
 * and what Envoy does with a connection under it.
 *
 * <pre>{@code
 * try (RealEnvoy envoy = RealEnvoy.start()) {
 *   TranslationResult resources = translator.translate(conf, ProxyContext.defaultTransparentProxy());
 *   assertThat(envoy.load(resources).accepted()).isTrue();
 *   Decision decision = envoy.decide(Connection.tls("api.example.com", 443));
 *   assertThat(decision.isAllowed()).isTrue();
 * }
 * }</pre>
 *
 * <p><b>The process.</b> {@link #start()} runs one Envoy ({@code --concurrency 1}, admin on {@code
 * 127.0.0.1} with an ephemeral port, a dynamic base id so that parallel JVMs never clash, log level
 * {@code warning}) and {@link #close()} stops it; a JVM shutdown hook kills it if the caller never
 * closes it. Every wait is bounded: a hung or dead Envoy fails with a {@link RealEnvoyException}
 * carrying its log, never a hang.
 *
 * <p><b>Loading.</b> {@link #load} checks the resources as written with {@code envoy --mode
 * validate} (clusters of every type included: validation opens no socket and resolves nothing),
 * then hands the probe configuration to the running Envoy through file-based CDS and LDS, without a
 * restart. Both verdicts must be ACKs for {@link LoadResult#accepted()}.
 *
 * <p><b>Probe mode.</b> The configuration under test is changed in these ways only:
 *
 * <ol>
 *   <li>The destination the client dialed travels in a PROXY protocol v1 header: {@code
 *       envoy.filters.listener.proxy_protocol} takes the place of {@code original_dst}, first in
 *       the listener-filter list, on every binding listener that restores the original destination.
 *       Envoy restores the local address from the header before any filter chain is chosen, so
 *       {@code destination_port}, {@code prefix_ranges} and the Matcher API's destination inputs
 *       see the dialed address; {@code tls_inspector} and {@code http_inspector} run after it
 *       unchanged. Listeners with {@code bind_to_port: false} lose {@code original_dst}: their
 *       connections arrive by {@code use_original_dst} hand-off, already restored.
 *   <li>Every cluster is replaced by a {@code STATIC} cluster of the same name whose only endpoint
 *       is a loopback sink owned by the harness; the harness refuses to load any cluster that is
 *       not such a cluster, and any dynamic forward proxy filter (it would resolve names itself).
 *       No byte leaves {@code 127.0.0.1}. A pinning probe ({@link #startPinning(PinningProbe)})
 *       keeps the clusters instead and resolves every name with its own responder.
 *   <li>Binding listeners bind to {@code 127.0.0.1} on ephemeral ports.
 *   <li>Access logs are added on each listener (also for connections no chain takes), each {@code
 *       tcp_proxy} and each HTTP connection manager, written where the harness reads them.
 *   <li>{@code listener_filters_timeout} longer than {@link
 *       #DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT} (15 s when unset) is shortened to it on listeners
 *       whose filters read the client's bytes, so that server-first cases finish fast; {@link
 *       Decision#waitedForListenerFiltersTimeout()} still says that the connection waited.
 * </ol>
 *
 * <p><b>Deciding.</b> {@link #decide} connects to the probe listener of the connection's address
 * family (the one the simulator picks: {@code use_original_dst} on {@code 0.0.0.0} or {@code [::]},
 * outbound or port 15001 preferred), sends the PROXY header and the payload, reads what comes back,
 * and reads Envoy's access log. The {@link Decision} carries outcome, listener, chain, cluster (its
 * original type), HTTP status and a reason; it has no trace and no virtual host.
 *
 * <p>Thread-safe: {@link #decide} may run concurrently; {@link #load} waits for running decisions
 * and blocks new ones until it is done.
 */
public final class RealEnvoy implements AutoCloseable {
  /** The listener-filter timeout the probe uses instead of a longer one. */
  public static final Duration DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT = Duration.ofMillis(1000);

  private static final int PARALLEL_CONNECTIONS = 16;
  private static final int STALE_ATTEMPTS = 10;

  private final EnvoyBinary binary;
  private final Path dir;
  private final Sink sink;
  private final AccessLogTail accessLog;
  private final EnvoyProcess process;
  private final ConfigLoader loader;
  private final ProbeRewriter rewriter;
  private final Duration probeTimeout;
  private final AtomicInteger nextSource = new AtomicInteger();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private ProbePlan plan = new ProbePlan(0, List.of(), List.of(), Map.of(), Map.of());
  private int generation;
  private Map<String, Integer> ports = Map.of();
  private final ListenerPorts listenerPorts = new ListenerPorts();
  private final Map<InetSocketAddress, Object> sourceLocks = new ConcurrentHashMap<>();
  private boolean lastLoadAccepted = true;
  private final Optional<PinningWorld> pinning;

  private RealEnvoy(
      EnvoyBinary binary,
      Path dir,
      Sink sink,
      AccessLogTail accessLog,
      EnvoyProcess process,
      ConfigLoader loader,
      Duration probeTimeout,
      Optional<PinningWorld> pinning) {
    this.pinning = pinning;
    this.binary = binary;
    this.dir = dir;
    this.sink = sink;
    this.accessLog = accessLog;
    this.process = process;
    this.loader = loader;
    this.probeTimeout = probeTimeout;
    this.rewriter =
        new ProbeRewriter(
            sink.port(),
            dir.resolve("access.log"),
            probeTimeout,
            listenerPorts::portOf,
            pinning.map(PinningWorld::rewrite));
  }

  /**
   * Starts an Envoy found (or installed) by {@link EnvoyBinary#findOrInstall()}.
   *
   * @return the running Envoy, with no listener or cluster loaded yet; close it when done
   * @throws EnvoyNotFoundException when there is none and none can be installed
   * @throws RealEnvoyException when it does not start
   */
  public static RealEnvoy start() {
    return start(EnvoyBinary.findOrInstall());
  }

  /**
   * Starts {@code binary} with the default probe listener-filter timeout.
   *
   * @param binary the Envoy to run, not null
   * @return the running Envoy, with no listener or cluster loaded yet; close it when done
   * @throws NullPointerException when {@code binary} is null
   * @throws RealEnvoyException when it does not start
   */
  public static RealEnvoy start(EnvoyBinary binary) {
    return start(binary, DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT);
  }

  /**
   * Starts {@code binary}; listener-filter timeouts longer than {@code probeListenerFiltersTimeout}
   * are shortened to it in probe mode.
   *
   * @param binary the Envoy to run, not null
   * @param probeListenerFiltersTimeout the longest {@code listener_filters_timeout} the probe
   *     keeps, positive; for example {@link #DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT}
   * @return the running Envoy, with no listener or cluster loaded yet; close it when done
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code probeListenerFiltersTimeout} is zero or negative
   * @throws RealEnvoyException when it does not start
   */
  public static RealEnvoy start(EnvoyBinary binary, Duration probeListenerFiltersTimeout) {
    Objects.requireNonNull(binary, "binary");
    return start(binary, probeListenerFiltersTimeout, Optional.empty());
  }

  /**
   * Starts an Envoy found (or installed) by {@link EnvoyBinary#findOrInstall()} as a <b>pinning
   * probe</b>: one that shows where allowed connections go, not only whether they pass.
   *
   * <p>In this mode clusters are not replaced by the one sink. {@code ORIGINAL_DST} clusters stay,
   * and connect to the dialed address, which {@link #decide} only accepts on loopback ({@code
   * 127.0.0.0/8} or {@code ::1}). {@code STRICT_DNS} and {@code LOGICAL_DNS} clusters, dynamic
   * forward proxy clusters and the dynamic forward proxy filters (SNI and HTTP) keep their DNS, but
   * every lookup goes to a DNS responder the harness runs on {@code 127.0.0.1}, which knows only
   * {@code world}'s names and answers loopback addresses only; no system or real resolver is ever
   * asked (c-ares with the responder as its only resolver and no search domains, also as the
   * bootstrap's default). {@code STATIC} clusters must be on loopback; anything else (EDS, other
   * cluster types, health checks) is refused with a {@link RealEnvoyException}. The harness listens
   * on {@code world}'s sinks, and each allowed {@link Decision} carries the {@link
   * Decision#upstream() upstream} it reached (see {@link #decide}).
   *
   * @param world the names the DNS responder knows and the sinks to listen on, not null
   * @return the running Envoy, with no listener or cluster loaded yet; close it when done
   * @throws EnvoyNotFoundException when there is no Envoy and none can be installed
   * @throws RealEnvoyException when it does not start, or a sink's address and port are taken
   */
  public static RealEnvoy startPinning(PinningProbe world) {
    return startPinning(EnvoyBinary.findOrInstall(), world);
  }

  /**
   * Starts {@code binary} as a pinning probe; see {@link #startPinning(PinningProbe)}.
   *
   * @param binary the Envoy to run, not null
   * @param world the names the DNS responder knows and the sinks to listen on, not null
   * @return the running Envoy, with no listener or cluster loaded yet; close it when done
   * @throws NullPointerException when an argument is null
   * @throws RealEnvoyException when it does not start, or a sink's address and port are taken
   */
  public static RealEnvoy startPinning(EnvoyBinary binary, PinningProbe world) {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(world, "world");
    return start(binary, DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT, Optional.of(world));
  }

  private static RealEnvoy start(
      EnvoyBinary binary, Duration probeListenerFiltersTimeout, Optional<PinningProbe> world) {
    if (probeListenerFiltersTimeout.isNegative() || probeListenerFiltersTimeout.isZero()) {
      throw new IllegalArgumentException(
          "the probe's listener-filter timeout must be positive: " + probeListenerFiltersTimeout);
    }
    Path dir = null;
    Sink sink = null;
    AccessLogTail log = null;
    Optional<PinningWorld> pinning = Optional.empty();
    try {
      dir = Files.createTempDirectory("meshpassthrough-envoy");
      sink = Sink.start();
      if (world.isPresent()) {
        pinning = Optional.of(PinningWorld.start(world.get()));
      }
      log = new AccessLogTail(dir.resolve("access.log"));
      ConfigLoader loader = new ConfigLoader(binary, dir);
      EnvoyProcess process =
          EnvoyProcess.start(
              binary, dir, loader.writeBootstrap(pinning.map(p -> p.rewrite().resolver())));
      return new RealEnvoy(
          binary, dir, sink, log, process, loader, probeListenerFiltersTimeout, pinning);
    } catch (IOException | RuntimeException e) {
      if (log != null) {
        log.close();
      }
      if (sink != null) {
        sink.close();
      }
      pinning.ifPresent(PinningWorld::close);
      if (dir != null) {
        deleteTree(dir);
      }
      if (e instanceof RealEnvoyException r) {
        throw r;
      }
      throw new RealEnvoyException("could not start " + binary + ": " + e.getMessage(), e);
    }
  }

  /**
   * The binary this Envoy runs.
   *
   * @return the binary given to {@link #start(EnvoyBinary)} or found by {@link #start()}, never
   *     null
   */
  public EnvoyBinary binary() {
    return binary;
  }

  /**
   * Hands the resources to Envoy and says whether it accepted them: {@code envoy --mode validate}
   * of the resources as written, then the probe configuration through CDS and LDS. When the
   * validation rejects them, the running Envoy keeps its previous configuration.
   *
   * @param listeners the listeners as written (before the probe rewrite), not null, nor any element
   * @param clusters the clusters as written (before the probe rewrite), not null, nor any element
   * @return an ACK when both the validation and the live load accepted them, else a NACK with
   *     Envoy's messages; never null. After a NACK, {@link #decide} refuses until a load is
   *     accepted
   * @throws RealEnvoyException when the probe cannot run the configuration safely (for example an
   *     HTTP connection manager with RDS), or Envoy does not answer
   */
  public LoadResult load(Collection<Listener> listeners, Collection<Cluster> clusters) {
    lock.writeLock().lock();
    try {
      ProbePlan next =
          rewriter.rewrite(++generation, List.copyOf(listeners), List.copyOf(clusters));
      process.ensureAlive();
      List<String> validation =
          pinning.isPresent()
              ? pinning.get().validate(loader, listeners, clusters)
              : loader.validate(listeners, clusters);
      if (!validation.isEmpty()) {
        lastLoadAccepted = false;
        return LoadResult.nack(validation);
      }
      LoadResult live = loader.loadLive(process, next);
      plan = next;
      lastLoadAccepted = live.accepted();
      if (live.accepted()) {
        ports = ListenerPorts.awaitBound(process, next);
      }
      return live;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Hands a translation's resources to Envoy; see {@link #load(Collection, Collection)}.
   *
   * @param resources the translation whose listeners and clusters to load, not null
   * @return an ACK or a NACK, as {@link #load(Collection, Collection)} returns it; never null
   * @throws RealEnvoyException as {@link #load(Collection, Collection)}
   */
  public LoadResult load(TranslationResult resources) {
    return load(resources.listeners(), resources.clusters());
  }

  /**
   * What the real Envoy does with {@code connection} under the last accepted configuration.
   *
   * @param connection the connection to open through the probe listener, not null
   * @return the decision, without a trace or virtual host; never null
   * @throws NullPointerException when {@code connection} is null
   * @throws IllegalStateException when the last {@link #load} was rejected
   * @throws IllegalArgumentException when the connection dials a multicast or broadcast address: no
   *     TCP client can, and Envoy's PROXY protocol reader refuses such a destination
   * @throws RealEnvoyException when Envoy does not answer within the harness's bounded waits
   */
  public Decision decide(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    if (!dialable(connection.destination())) {
      throw new IllegalArgumentException(
          "no TCP connection can dial "
              + connection.destinationText()
              + " (multicast or broadcast); Envoy's PROXY protocol reader refuses it too");
    }
    if (pinning.isPresent()) {
      PinningWorld.requireLoopback(connection);
    }
    lock.readLock().lock();
    try {
      if (!lastLoadAccepted) {
        throw new IllegalStateException(
            "the last configuration loaded was rejected: load an accepted one before deciding");
      }
      Optional<ProbePlan.ListenerInfo> listener =
          plan.passthroughListener(connection.family() == IpFamily.IPV6);
      if (listener.isEmpty()) {
        return new Decision(
            Decision.Outcome.NO_LISTENER,
            "refused: no listener takes " + connection.family() + " connections",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            List.of());
      }
      Integer port = ports.get(listener.get().name());
      if (port == null) {
        throw new RealEnvoyException(
            "listener " + listener.get().name() + " is not bound in Envoy");
      }
      Duration wait = probeTimeout.plusSeconds(1);
      for (int attempt = 1; ; attempt++) {
        InetSocketAddress source = source(connection);
        ProbeConversation.Transcript transcript;
        // A source the caller chose may repeat: its connections take turns, so that each reads only
        // its own log entries.
        synchronized (
            connection.source().isPresent()
                ? sourceLocks.computeIfAbsent(source, s -> new Object())
                : new Object()) {
          transcript =
              ProbeConversation.run(
                  port,
                  source,
                  connection,
                  wait,
                  accessLog,
                  entry ->
                      Optional.ofNullable(plan.listenerInfo().get(entry.listenerTag()))
                          .flatMap(
                              l ->
                                  entry
                                      .chain()
                                      .or(l::unnamedChainLabel)
                                      .map(l.chainTerminals()::get)));
        }
        // A listener being replaced may still take a connection for a moment: its entries carry the
        // old generation.
        if (transcript.entries().stream().allMatch(e -> e.generation() == plan.generation())) {
          Decision decision =
              RealDecisions.of(plan, listener.get(), connection, transcript, probeTimeout);
          return pinning.isEmpty()
              ? decision
              : pinning
                  .get()
                  .attach(decision, connection, transcript.entries(), plan.originalClusterTypes());
        }
        if (attempt == STALE_ATTEMPTS) {
          throw new RealEnvoyException(
              "listeners of an earlier load still took "
                  + connection
                  + " after "
                  + STALE_ATTEMPTS
                  + " attempts");
        }
        sleep(50L * attempt);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@link #decide} for each connection, several at a time; the decisions in the input's order.
   *
   * @param connections the connections to decide, not null, nor any element; up to 16 run at once
   * @return one decision per connection, in the order of {@code connections}; never null
   * @throws IllegalStateException when the last {@link #load} was rejected
   * @throws RealEnvoyException when any connection fails the harness
   */
  public List<Decision> decideAll(List<Connection> connections) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(PARALLEL_CONNECTIONS, connections.size())),
            r -> {
              Thread t = new Thread(r, "meshpassthrough-probe-client");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Decision>> futures = new ArrayList<>();
      for (Connection connection : connections) {
        futures.add(pool.submit(() -> decide(connection)));
      }
      List<Decision> decisions = new ArrayList<>();
      for (Future<Decision> future : futures) {
        decisions.add(future.get(5, TimeUnit.MINUTES));
      }
      return decisions;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new RealEnvoyException("a probe connection failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new RealEnvoyException(
          "probe connections did not finish within 5 minutes:\n" + logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while deciding", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The probe configuration last loaded: what Envoy really runs.
   *
   * @return the rewritten listeners of the last load that passed validation, empty before the
   *     first; unmodifiable, never null
   */
  public List<Listener> probeListeners() {
    lock.readLock().lock();
    try {
      return plan.listeners();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The probe clusters last loaded: every one a loopback {@code STATIC} cluster, or, for a pinning
   * probe, the clusters as written with the test's DNS resolver.
   *
   * @return the rewritten clusters of the last load that passed validation, empty before the first;
   *     unmodifiable, never null
   */
  public List<Cluster> probeClusters() {
    lock.readLock().lock();
    try {
      return plan.clusters();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The questions Envoy asked the pinning probe's DNS responder so far, in arrival order.
   *
   * @return every query since the start; empty for an Envoy not started by {@link
   *     #startPinning(PinningProbe)}; never null
   */
  public List<PinningProbe.DnsQuery> dnsQueries() {
    return pinning.map(PinningWorld::queries).orElse(List.of());
  }

  /**
   * The world of a pinning probe.
   *
   * @return the names and sinks given to {@link #startPinning(PinningProbe)}, or empty for an Envoy
   *     in the one-sink probe mode
   */
  public Optional<PinningProbe> pinningProbe() {
    return pinning.map(PinningWorld::probe);
  }

  /**
   * GET on Envoy's admin interface (loopback), for example {@code /config_dump}; the body.
   *
   * @param pathAndQuery the admin path starting with {@code /}, with an optional query whose values
   *     are URL-encoded here; not null
   * @return the response body, whatever the status; never null
   * @throws RealEnvoyException when Envoy has died or its admin does not answer
   */
  public String admin(String pathAndQuery) {
    return process.get(pathAndQuery);
  }

  /**
   * The process id of Envoy, for tests that check nothing is left behind.
   *
   * @return the operating system's id of the Envoy process, also after {@link #close()}
   */
  public long pid() {
    return process.pid();
  }

  /**
   * The last lines of Envoy's own log.
   *
   * @return up to the last 40 lines of Envoy's stdout and stderr, or a note when the log cannot be
   *     read; never null
   */
  public String logTail() {
    return process.logTail();
  }

  /**
   * Whether a TCP client can dial {@code address}: not multicast, not the IPv4 broadcast address.
   *
   * @param address the destination address, not null
   * @return false for a multicast address or {@code 255.255.255.255}, true otherwise
   */
  public static boolean dialable(InetAddress address) {
    return !address.isMulticastAddress()
        && !InetAddresses.toAddrString(address).equals("255.255.255.255");
  }

  private InetSocketAddress source(Connection connection) {
    if (connection.source().isPresent()) {
      return connection.source().get();
    }
    int n = nextSource.getAndIncrement();
    int port = 1024 + n % 64000;
    int block = n / 64000;
    String ip =
        connection.family() == IpFamily.IPV4
            ? "198.18." + ((block >> 8) & 0xff) + "." + (block & 0xff)
            : "2001:db8:ffff::" + Integer.toHexString(block + 1);
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(InetAddresses.forString(ip).getAddress()), port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while waiting for Envoy", e);
    }
  }

  /**
   * The audit log's lines so far (audit mode, {@code Enforcement.AUDIT}), oldest first: every line
   * of a file access log whose format writes {@code "verdict": "would-deny"}. The probe writes them
   * into its own log instead of the configured path, each with two keys of its own: {@code kind}
   * ({@code audit}) and {@code generation} (of the load that wrote it); the others are as Envoy
   * wrote them. A line's {@code source} is the client address of {@link Connection#from}.
   *
   * @return the lines, never null
   */
  public List<String> auditLog() {
    return accessLog.auditLines();
  }

  /** Stops Envoy, the sink and the log reader, and removes the harness's files. */
  @Override
  public void close() {
    try {
      process.close();
    } finally {
      accessLog.close();
      sink.close();
      pinning.ifPresent(PinningWorld::close);
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans it eventually
    }
  }
}
