package dev.meshpassthrough.testkit.acceptance.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.StringValue;
import com.google.protobuf.TypeRegistry;
import dev.meshpassthrough.testkit.acceptance.AcceptanceProblem;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.direct_response.v3.Config;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ApplicationProtocolInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One run of the acceptance check over the resources of one response. */
public final class AcceptanceRun {
  private final PgvChecker pgv;
  private final DynamicForwardProxyRules forwardProxy;

  /** A run that opens {@code Any} values with {@code registry}. */
  public AcceptanceRun(TypeRegistry registry) {
    this.pgv = new PgvChecker(registry);
    this.forwardProxy = new DynamicForwardProxyRules(registry);
  }

  /** The message types the check opens when packed in {@code Any}, with their files' neighbours. */
  public static List<Descriptor> packedTypes() {
    return List.of(
        Listener.getDescriptor(),
        Cluster.getDescriptor(),
        TcpProxy.getDescriptor(),
        HttpConnectionManager.getDescriptor(),
        Router.getDescriptor(),
        OriginalDst.getDescriptor(),
        TlsInspector.getDescriptor(),
        HttpInspector.getDescriptor(),
        HttpProtocolOptions.getDescriptor(),
        Config.getDescriptor(),
        DestinationPortInput.getDescriptor(),
        DestinationIPInput.getDescriptor(),
        ServerNameInput.getDescriptor(),
        TransportProtocolInput.getDescriptor(),
        ApplicationProtocolInput.getDescriptor(),
        Ip.getDescriptor(),
        StringValue.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig
            .getDescriptor(),
        com.github.xds.type.v3.TypedStruct.getDescriptor(),
        // Audit mode's log and the CEL filter that picks the audit route's requests.
        io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter
            .getDescriptor(),
        // HTTP filters users' connection managers commonly carry: the check opens configs packed
        // inside others too, so an HTTP filter it does not know would read as unknown to Envoy.
        io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor());
  }

  /** Every problem, listeners first, then clusters, each in the order given. */
  public List<AcceptanceProblem> check(
      Collection<Listener> listeners, Collection<Cluster> clusters) {
    ProblemSink sink = new ProblemSink();
    Set<String> clusterNames = new HashSet<>();
    for (Cluster cluster : clusters) {
      if (!clusterNames.add(cluster.getName())) {
        sink.resource("Cluster " + cluster.getName());
        sink.add(
            "name", "cluster.name-unique", "duplicate cluster " + cluster.getName() + " found");
      }
    }
    Set<String> listenerNames = new HashSet<>();
    for (Listener listener : listeners) {
      sink.resource("Listener " + listener.getName());
      if (!listenerNames.add(listener.getName())) {
        sink.add(
            "name", "listener.name-unique", "duplicate listener " + listener.getName() + " found");
      }
      pgv.check(listener, "", sink);
      ListenerRules.check(listener, sink);
      ReferenceRules.checkListener(listener, clusterNames, sink);
      forwardProxy.checkListener(listener, sink);
    }
    for (Cluster cluster : clusters) {
      sink.resource("Cluster " + cluster.getName());
      pgv.check(cluster, "", sink);
      ReferenceRules.checkCluster(cluster, sink);
      forwardProxy.checkCluster(cluster, sink);
    }
    return sink.problems();
  }
}
