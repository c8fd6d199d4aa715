package dev.meshpassthrough.xds;

import com.google.protobuf.Value;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.xds.internal.NackAwareWatcher;
import dev.meshpassthrough.xds.internal.StreamBook;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An xDS control plane for MeshPassthrough: it holds the policies and the proxies, runs the {@link
 * PassthroughPipeline} for each proxy, and keeps one java-control-plane snapshot per node in a
 * {@link SimpleCache}, served over ADS by {@link #discoveryServer()} (or {@link AdsServer}).
 *
 * <pre>{@code
 * PassthroughControlPlane plane = PassthroughControlPlane.create(PassthroughPipeline.create());
 * UpdateReport report = plane.update()
 *     .putPolicy(policy)                                  // validated, typed
 *     .putProxy("web-0.shop", ProxyContext.read(proxyFile))
 *     .apply();
 * try (AdsServer server = AdsServer.start(plane, new InetSocketAddress("127.0.0.1", 18000))) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Nodes.</b> An Envoy's node is the proxy registered under its key (see {@link
 * #nodeKey(Node)}): the string metadata field {@value #NODE_METADATA_KEY} when the node has one,
 * else the node id. The file-based {@link FileSource} registers each proxy file under its {@code
 * dataplane.name}.
 *
 * <p><b>No churn.</b> A node's listeners and clusters carry their content versions ({@link
 * TranslationResult#listenersVersion()}, {@link TranslationResult#clustersVersion()}): an update
 * that does not change a node's output leaves its snapshot alone and pushes nothing, and a
 * restarted control plane serves the same versions for the same inputs.
 *
 * <p><b>Incremental.</b> A reverse index keeps, for each policy, the proxies whose resolution it
 * involves ({@link PolicyResolver#involves}). An update runs the pipeline again only for the
 * proxies a changed policy involves before or after the change, and for changed proxies; {@link
 * #runs()} counts the runs.
 *
 * <p><b>Never a broken push.</b> A proxy whose run fails (invalid proxy, translation error) keeps
 * its last good snapshot, or gets none; the failure is in its {@link NodeStatus} and in the {@link
 * UpdateReport}. Other proxies go on. Policies given here must be valid: validate documents with
 * {@link PassthroughPipeline#validate} first ({@link FileSource} does).
 *
 * <p><b>NACKs.</b> java-control-plane's cache answers a NACK with the rejected snapshot again, at
 * once, in a loop. Here a node that rejects a version is not sent that version again: the NACK
 * (Envoy's error text, the version, the time) is kept in its {@link NodeStatus}, and the next
 * different snapshot is sent as usual.
 *
 * <p>Thread-safe: updates are serialized; status and serving run concurrently with them.
 */
public final class PassthroughControlPlane {

  /** The node metadata field that names the proxy of a node, when present; else the node id. */
  public static final String NODE_METADATA_KEY = "meshpassthrough.dev/proxy";

  /** The version of the resource types this control plane does not serve (always empty). */
  static final String EMPTY_VERSION = "empty";

  private static final Logger LOG = LoggerFactory.getLogger("dev.meshpassthrough.xds");

  private final PassthroughPipeline pipeline;
  private final Clock clock;
  private final SimpleCache<String> cache;
  private final StreamBook book;
  private final NackAwareWatcher watcher;
  private final AtomicLong runs = new AtomicLong();

  // Guarded by this.
  private final Map<PolicyId, MeshPassthroughPolicy> policies = new HashMap<>();
  private PassthroughPipeline.Policies validated =
      PassthroughPipeline.Policies.of(List.<MeshPassthroughPolicy>of());
  private final Map<String, NodeState> nodes = new HashMap<>();
  private final Map<PolicyId, Set<String>> involvedBy = new HashMap<>();

  private PassthroughControlPlane(PassthroughPipeline pipeline, Clock clock) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.clock = Objects.requireNonNull(clock, "clock");
    NodeGroup<String> group = PassthroughControlPlane::nodeKey;
    this.cache = new SimpleCache<>(group);
    this.book = new StreamBook(clock, PassthroughControlPlane::nodeKey);
    this.watcher = new NackAwareWatcher(cache, book, PassthroughControlPlane::nodeKey);
  }

  /**
   * A control plane with no policy and no proxy.
   *
   * @param pipeline the pipeline each proxy is run through (Kuma line, profile, encoding)
   * @return the control plane
   */
  public static PassthroughControlPlane create(PassthroughPipeline pipeline) {
    return new PassthroughControlPlane(pipeline, Clock.systemUTC());
  }

  /**
   * A control plane with a clock of its own, for tests.
   *
   * @param pipeline the pipeline each proxy is run through
   * @param clock the clock of the times in {@link NodeStatus}
   * @return the control plane
   */
  public static PassthroughControlPlane create(PassthroughPipeline pipeline, Clock clock) {
    return new PassthroughControlPlane(pipeline, clock);
  }

  /**
   * The key of the proxy an Envoy node is served: the string metadata field {@value
   * #NODE_METADATA_KEY} when present and not blank, else the node id.
   *
   * @param node the node of a discovery request
   * @return the key
   */
  public static String nodeKey(Node node) {
    Value value = node.getMetadata().getFieldsMap().get(NODE_METADATA_KEY);
    if (value != null && value.hasStringValue() && !value.getStringValue().isBlank()) {
      return value.getStringValue();
    }
    return node.getId();
  }

  /**
   * The pipeline proxies are run through.
   *
   * @return the pipeline
   */
  public PassthroughPipeline pipeline() {
    return pipeline;
  }

  /**
   * The watcher to serve from: the snapshot cache, with NACKs recorded and not answered with the
   * rejected version. Pair it with {@link #callbacks()}; {@link #discoveryServer()} does.
   *
   * @return the watcher
   */
  public ConfigWatcher configWatcher() {
    return watcher;
  }

  /**
   * The discovery callbacks that keep the ACK and NACK bookkeeping of every node.
   *
   * @return the callbacks
   */
  public DiscoveryServerCallbacks callbacks() {
    return book;
  }

  /**
   * A java-control-plane discovery server on this control plane (ADS and the single-type services),
   * to add to a gRPC server.
   *
   * @return a new discovery server
   */
  public V3DiscoveryServer discoveryServer() {
    return new V3DiscoveryServer(book, watcher);
  }

  /**
   * Starts an update: policies and proxies to put or remove, applied together by {@link
   * Update#apply()}.
   *
   * @return an empty update
   */
  public Update update() {
    return new Update();
  }

  /**
   * How many pipeline runs this control plane has done since it was created.
   *
   * @return the count
   */
  public long runs() {
    return runs.get();
  }

  /**
   * The policies held, sorted by mesh and name.
   *
   * @return the policies
   */
  public synchronized List<MeshPassthroughPolicy> policies() {
    return validated.set().policies();
  }

  /**
   * The status of every registered proxy and of every connected node without a proxy, sorted by
   * node key.
   *
   * @return the statuses
   */
  public List<NodeStatus> status() {
    Map<String, NodeState> copy;
    synchronized (this) {
      copy = new TreeMap<>(nodes);
    }
    Set<String> keys = new TreeSet<>(copy.keySet());
    keys.addAll(book.connectedNodes());
    List<NodeStatus> out = new ArrayList<>();
    for (String key : keys) {
      out.add(statusOf(key, copy.get(key)));
    }
    return out;
  }

  /**
   * The status of one node.
   *
   * @param nodeKey the node's key
   * @return its status, empty when it has no proxy and no stream
   */
  public Optional<NodeStatus> status(String nodeKey) {
    NodeState state;
    synchronized (this) {
      state = nodes.get(nodeKey);
    }
    if (state == null && !book.connectedNodes().contains(nodeKey)) {
      return Optional.empty();
    }
    return Optional.of(statusOf(nodeKey, state));
  }

  private NodeStatus statusOf(String key, @Nullable NodeState state) {
    StreamBook.NodeBook xds = book.node(key);
    if (state == null) {
      return new NodeStatus(
          key,
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          xds.streams(),
          xds.acks(),
          xds.lastNack(),
          xds.nacks(),
          List.of(
              Problem.of(
                  "xds.node.unknown",
                  Severity.WARNING,
                  "an Envoy connected as node "
                      + key
                      + ", and no proxy is registered under that key: it is sent nothing")));
    }
    return new NodeStatus(
        key,
        state.source,
        state.status,
        state.applied,
        Optional.ofNullable(state.served).map(Served::listenersVersion),
        Optional.ofNullable(state.served).map(Served::clustersVersion),
        Optional.ofNullable(state.updatedAt),
        xds.streams(),
        xds.acks(),
        xds.lastNack(),
        xds.nacks(),
        state.problems);
  }

  private synchronized UpdateReport apply(Update update) {
    // Hashed: the pass over every node below looks each one up; sorted when run.
    Map<String, Set<String>> why = new HashMap<>();
    Map<PolicyId, MeshPassthroughPolicy> changed = new TreeMap<>();
    Map<PolicyId, String> whatChanged = new TreeMap<>();
    Set<PolicyId> removed = new TreeSet<>();
    for (Map.Entry<PolicyId, Optional<MeshPassthroughPolicy>> e : update.policies.entrySet()) {
      PolicyId id = e.getKey();
      MeshPassthroughPolicy before = policies.get(id);
      MeshPassthroughPolicy after = e.getValue().orElse(null);
      if (Objects.equals(before, after)) {
        continue;
      }
      String what =
          "policy " + id + (before == null ? " added" : after == null ? " removed" : " changed");
      whatChanged.put(id, what);
      // Before the change: the proxies it involved.
      for (String node : involvedBy.getOrDefault(id, Set.of())) {
        because(why, node, what);
      }
      if (after != null) {
        changed.put(id, after);
      } else {
        removed.add(id);
      }
    }
    List<UpdateReport.NodeUpdate> out = new ArrayList<>();
    for (Map.Entry<String, Optional<ProxyEntry>> e : update.proxies.entrySet()) {
      String key = e.getKey();
      NodeState state = nodes.get(key);
      if (e.getValue().isEmpty()) {
        if (state != null) {
          nodes.remove(key);
          state.involves.forEach(id -> removeInvolvement(id, key));
          // java-control-plane keeps the snapshot of a node that has ever watched it: an Envoy of
          // a removed proxy keeps what it has, also when it reconnects.
          boolean cleared = cache.clearSnapshot(key);
          why.remove(key);
          out.add(
              new UpdateReport.NodeUpdate(
                  key,
                  UpdateReport.Kind.REMOVED,
                  Optional.empty(),
                  Optional.empty(),
                  cleared
                      ? List.of("proxy removed", "snapshot cleared")
                      : List.of("proxy removed", "last snapshot kept for the node's Envoy"),
                  List.of()));
        }
        continue;
      }
      ProxyEntry next = e.getValue().get();
      if (state == null) {
        nodes.put(key, new NodeState(next.proxy(), next.source(), line()));
        because(why, key, "proxy added");
      } else {
        if (!state.proxy.equals(next.proxy())) {
          state.proxy(next.proxy(), line());
          because(why, key, "proxy changed");
        }
        state.source = next.source();
      }
    }
    for (PolicyId id : removed) {
      policies.remove(id);
    }
    policies.putAll(changed);
    if (!changed.isEmpty() || !removed.isEmpty()) {
      validated = PassthroughPipeline.Policies.of(List.copyOf(policies.values()));
    }
    // After the change: the proxies a changed policy involves now.
    for (Map.Entry<PolicyId, MeshPassthroughPolicy> e : changed.entrySet()) {
      String what = Objects.requireNonNull(whatChanged.get(e.getKey()));
      for (Map.Entry<String, NodeState> node : nodes.entrySet()) {
        Set<String> reasons = why.get(node.getKey());
        if ((reasons == null || !reasons.contains(what))
            && PolicyResolver.involves(
                e.getValue(), node.getValue().descriptor(), node.getValue().context)) {
          because(why, node.getKey(), what);
        }
      }
    }
    int ran = 0;
    for (Map.Entry<String, Set<String>> e : new TreeMap<>(why).entrySet()) {
      NodeState state = nodes.get(e.getKey());
      if (state != null) {
        out.add(run(e.getKey(), state, List.copyOf(e.getValue())));
        ran++;
      }
    }
    out.sort(Comparator.comparing(UpdateReport.NodeUpdate::node));
    out.forEach(PassthroughControlPlane::log);
    return new UpdateReport(out, ran);
  }

  private static void log(UpdateReport.NodeUpdate n) {
    String reasons = String.join(", ", n.reasons());
    switch (n.kind()) {
      case PUSHED ->
          LOG.info(
              "node {} pushed Listener {} Cluster {} because {}",
              n.node(),
              n.listenersVersion().orElse("-"),
              n.clustersVersion().orElse("-"),
              reasons);
      case UNCHANGED -> LOG.debug("node {} unchanged, nothing pushed, after {}", n.node(), reasons);
      case KEPT_LAST_GOOD ->
          LOG.warn(
              "node {} keeps its last good snapshot (Listener {} Cluster {}) after {}: {}",
              n.node(),
              n.listenersVersion().orElse("none"),
              n.clustersVersion().orElse("none"),
              reasons,
              n.problems().stream()
                  .filter(Problem::isError)
                  .map(p -> p.ruleId() + ": " + p.message())
                  .collect(java.util.stream.Collectors.joining("; ")));
      case REMOVED -> LOG.info("node {}: {}", n.node(), reasons);
    }
  }

  private static void because(Map<String, Set<String>> why, String node, String reason) {
    why.computeIfAbsent(node, k -> new LinkedHashSet<>()).add(reason);
  }

  private KumaLine line() {
    return pipeline.options().kumaLine();
  }

  private UpdateReport.NodeUpdate run(String key, NodeState state, List<String> reasons) {
    runs.incrementAndGet();
    PassthroughPipeline.Result result = pipeline.run(validated, state.proxy);
    Instant now = clock.instant();
    state.updatedAt = now;
    state.status = Optional.of(result.status());
    state.problems = result.problems();
    state.applied = result.resolution().map(Resolution::appliedNames).orElse(List.of());
    Set<PolicyId> involves = new TreeSet<>();
    String mesh = state.descriptor().mesh();
    result
        .resolution()
        .ifPresent(
            r -> {
              r.applied().forEach(a -> involves.add(PolicyId.of(a.policy())));
              r.warnings()
                  .forEach(w -> w.policy().ifPresent(p -> involves.add(new PolicyId(mesh, p))));
            });
    state.involves.forEach(id -> removeInvolvement(id, key));
    involves.forEach(id -> involvedBy.computeIfAbsent(id, k -> new TreeSet<>()).add(key));
    state.involves = involves;
    if (!result.isOk()) {
      return new UpdateReport.NodeUpdate(
          key,
          UpdateReport.Kind.KEPT_LAST_GOOD,
          Optional.ofNullable(state.served).map(Served::listenersVersion),
          Optional.ofNullable(state.served).map(Served::clustersVersion),
          reasons,
          result.problems());
    }
    TranslationResult resources = result.resources().orElseThrow();
    Served next = new Served(resources.listenersVersion(), resources.clustersVersion());
    if (next.equals(state.served)) {
      return new UpdateReport.NodeUpdate(
          key,
          UpdateReport.Kind.UNCHANGED,
          Optional.of(next.listenersVersion()),
          Optional.of(next.clustersVersion()),
          reasons,
          result.problems());
    }
    cache.setSnapshot(
        key,
        Snapshot.create(
            resources.clusters(),
            next.clustersVersion(),
            List.of(),
            EMPTY_VERSION,
            resources.listeners(),
            next.listenersVersion(),
            List.of(),
            EMPTY_VERSION,
            List.of(),
            EMPTY_VERSION));
    state.served = next;
    return new UpdateReport.NodeUpdate(
        key,
        UpdateReport.Kind.PUSHED,
        Optional.of(next.listenersVersion()),
        Optional.of(next.clustersVersion()),
        reasons,
        result.problems());
  }

  private void removeInvolvement(PolicyId id, String node) {
    Set<String> set = involvedBy.get(id);
    if (set != null) {
      set.remove(node);
      if (set.isEmpty()) {
        involvedBy.remove(id);
      }
    }
  }

  /**
   * The policies and proxies to change, applied together by {@link #apply()}: one update is one
   * step, so no node is ever run against half of it. Later calls for the same policy or node win.
   * Not thread-safe; use once.
   */
  public final class Update {
    private final Map<PolicyId, Optional<MeshPassthroughPolicy>> policies = new TreeMap<>();
    private final Map<String, Optional<ProxyEntry>> proxies = new TreeMap<>();

    private Update() {}

    /**
     * Adds or replaces a policy, known by its mesh and core name.
     *
     * @param policy a valid policy
     * @return this update
     */
    public Update putPolicy(MeshPassthroughPolicy policy) {
      policies.put(PolicyId.of(policy), Optional.of(policy));
      return this;
    }

    /**
     * Removes a policy; nothing happens when there is none.
     *
     * @param mesh the policy's mesh
     * @param name the policy's core name
     * @return this update
     */
    public Update removePolicy(String mesh, String name) {
      policies.put(new PolicyId(mesh, name), Optional.empty());
      return this;
    }

    /**
     * Adds or replaces the proxy of a node.
     *
     * @param nodeKey the node's key ({@link #nodeKey(Node)})
     * @param proxy the proxy
     * @return this update
     */
    public Update putProxy(String nodeKey, ProxyContext proxy) {
      return putProxy(nodeKey, proxy, Optional.empty());
    }

    /**
     * Adds or replaces the proxy of a node, with where it was read from (shown in its status).
     *
     * @param nodeKey the node's key ({@link #nodeKey(Node)})
     * @param proxy the proxy
     * @param source where the proxy was read from, for example its file
     * @return this update
     */
    public Update putProxy(String nodeKey, ProxyContext proxy, Optional<String> source) {
      proxies.put(
          Objects.requireNonNull(nodeKey, "nodeKey"),
          Optional.of(new ProxyEntry(Objects.requireNonNull(proxy, "proxy"), source)));
      return this;
    }

    /**
     * Removes the proxy of a node: it is run no more and its status is gone. Its Envoy keeps what
     * it has; java-control-plane's cache keeps the node's last snapshot once the node has watched
     * it (so a reconnecting Envoy gets it again), and clears it otherwise.
     *
     * @param nodeKey the node's key
     * @return this update
     */
    public Update removeProxy(String nodeKey) {
      proxies.put(Objects.requireNonNull(nodeKey, "nodeKey"), Optional.empty());
      return this;
    }

    /**
     * Whether the update changes nothing it was given.
     *
     * @return true when no policy and no proxy was put or removed
     */
    public boolean isEmpty() {
      return policies.isEmpty() && proxies.isEmpty();
    }

    /**
     * Applies the update: runs the pipeline for each node it touches and sets the snapshots whose
     * content changed.
     *
     * @return what happened to each node touched
     */
    public UpdateReport apply() {
      return PassthroughControlPlane.this.apply(this);
    }
  }

  /** A policy's identity: its mesh and core name. */
  record PolicyId(String mesh, String name) implements Comparable<PolicyId> {
    static PolicyId of(MeshPassthroughPolicy policy) {
      return new PolicyId(policy.metadata().mesh(), policy.metadata().name());
    }

    @Override
    public int compareTo(PolicyId o) {
      int c = mesh.compareTo(o.mesh);
      return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
      return mesh + "/" + name;
    }
  }

  private record ProxyEntry(ProxyContext proxy, Optional<String> source) {}

  private record Served(String listenersVersion, String clustersVersion) {}

  private static final class NodeState {
    ProxyContext proxy;

    /** The proxy's control-plane context under the pipeline's line, as selection reads it. */
    ControlPlaneContext context;

    Optional<String> source;
    Optional<PassthroughPipeline.Status> status = Optional.empty();
    List<String> applied = List.of();
    List<Problem> problems = List.of();
    Set<PolicyId> involves = new TreeSet<>();
    @Nullable Served served;
    @Nullable Instant updatedAt;

    NodeState(ProxyContext proxy, Optional<String> source, KumaLine line) {
      this.proxy = proxy;
      this.context = proxy.selection().context().withLine(line);
      this.source = source;
    }

    void proxy(ProxyContext next, KumaLine line) {
      proxy = next;
      context = next.selection().context().withLine(line);
    }

    dev.meshpassthrough.core.resolve.ProxyDescriptor descriptor() {
      return proxy.selection().proxy();
    }
  }
}
