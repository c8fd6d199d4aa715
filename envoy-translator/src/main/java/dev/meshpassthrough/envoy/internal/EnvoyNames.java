package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat.TypeRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ApplicationProtocolInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Envoy's filter names, protocol strings and type URLs, and the type registry of every Any used.
 */
public final class EnvoyNames {
  /**
   * The type URLs as UTF-8, by type: a translation packs few types, many times each. First, as the
   * constants below are packed with it while the class initialises.
   */
  private static final ConcurrentMap<Descriptor, ByteString> TYPE_URL_BYTES =
      new ConcurrentHashMap<>();

  /** Network filter: plain TCP proxying. */
  public static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  /** The file access logger. */
  public static final String FILE_ACCESS_LOG = "envoy.access_loggers.file";

  /** The access-log filter that evaluates a CEL expression. */
  public static final String CEL_ACCESS_LOG_FILTER = "envoy.access_loggers.extension_filters.cel";

  /** Network filter: answers with fixed bytes (or none) and closes the connection. */
  public static final String DIRECT_RESPONSE = "envoy.filters.network.direct_response";

  /** Network filter: HTTP connection manager. */
  public static final String HTTP_CONNECTION_MANAGER =
      "envoy.filters.network.http_connection_manager";

  /** HTTP filter: router. */
  public static final String ROUTER = "envoy.filters.http.router";

  /**
   * The router as the last HTTP filter of a connection manager: the same immutable message for
   * every chain, packed once.
   */
  public static final HttpFilter ROUTER_FILTER =
      HttpFilter.newBuilder()
          .setName(ROUTER)
          .setTypedConfig(pack(Router.getDefaultInstance()))
          .build();

  /** Listener filter: restores the original destination. */
  public static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";

  /** Listener filter: reads SNI and ALPN from a TLS ClientHello. */
  public static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  /** Listener filter: detects plaintext HTTP/1.x and h2c. */
  public static final String HTTP_INSPECTOR = "envoy.filters.listener.http_inspector";

  /** Key of a cluster's upstream HTTP protocol options in {@code typedExtensionProtocolOptions}. */
  public static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  /** {@code transport_protocol} set by tls_inspector. */
  public static final String TRANSPORT_TLS = "tls";

  /** {@code transport_protocol} Envoy sets when no listener filter set one. */
  public static final String TRANSPORT_RAW_BUFFER = "raw_buffer";

  /** The ALPN values http_inspector sets for HTTP/1.1 and prior-knowledge HTTP/2. */
  public static final List<String> HTTP_APPLICATION_PROTOCOLS = List.of("http/1.1", "h2c");

  /** Every ALPN value http_inspector sets: HTTP/1.0 clients exist too. */
  public static final List<String> HTTP_APPLICATION_PROTOCOLS_WITH_1_0 =
      List.of("http/1.0", "http/1.1", "h2c");

  /** Prefix of every type URL. */
  public static final String TYPE_URL_PREFIX = "type.googleapis.com/";

  /** Type URL of a packed Listener. */
  public static final String LISTENER_TYPE_URL = typeUrl(Listener.getDescriptor());

  /** Type URL of a packed Cluster. */
  public static final String CLUSTER_TYPE_URL = typeUrl(Cluster.getDescriptor());

  /** Type URL of a packed TcpProxy. */
  public static final String TCP_PROXY_TYPE_URL = typeUrl(TcpProxy.getDescriptor());

  /**
   * Every message the translator packs into an Any, plus the ones transparent-proxy listeners and
   * clusters commonly carry (access logs, TLS transport sockets), so that existing resources using
   * them can be read and printed.
   */
  public static final List<Descriptor> ANY_TYPES =
      List.of(
          Listener.getDescriptor(),
          Cluster.getDescriptor(),
          TcpProxy.getDescriptor(),
          HttpConnectionManager.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.direct_response.v3.Config.getDescriptor(),
          Router.getDescriptor(),
          OriginalDst.getDescriptor(),
          TlsInspector.getDescriptor(),
          HttpInspector.getDescriptor(),
          HttpProtocolOptions.getDescriptor(),
          FileAccessLog.getDescriptor(),
          StdoutAccessLog.getDescriptor(),
          StderrAccessLog.getDescriptor(),
          UpstreamTlsContext.getDescriptor(),
          DownstreamTlsContext.getDescriptor(),
          // The matcher encoding's inputs, input matcher and filter-chain action.
          DestinationPortInput.getDescriptor(),
          DestinationIPInput.getDescriptor(),
          ServerNameInput.getDescriptor(),
          TransportProtocolInput.getDescriptor(),
          ApplicationProtocolInput.getDescriptor(),
          Ip.getDescriptor(),
          com.google.protobuf.StringValue.getDescriptor(),
          // Domain pinning: the dynamic forward proxy, the filters that set its filter state, and
          // the TypedStruct that carries the HTTP filter's config.
          io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.sni_dynamic_forward_proxy.v3.FilterConfig
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig
              .getDescriptor(),
          com.github.xds.type.v3.TypedStruct.getDescriptor(),
          // Audit mode: the CEL filter that picks the audit route's requests for the audit log.
          io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter
              .getDescriptor());

  /** The registry of {@link #ANY_TYPES}; immutable and thread-safe. */
  public static final TypeRegistry TYPE_REGISTRY = TypeRegistry.newBuilder().add(ANY_TYPES).build();

  private EnvoyNames() {}

  /** The type URL {@link Any#pack} writes for {@code descriptor}. */
  public static String typeUrl(Descriptor descriptor) {
    return TYPE_URL_PREFIX + descriptor.getFullName();
  }

  /**
   * {@link Any#pack} of {@code message}: an equal {@code Any} of the same encoding, whose type URL
   * is set as UTF-8 bytes (worked out once per type). A field set from a {@code String} is encoded
   * again every time its message is serialized, and a translation's {@code Any}s are serialized
   * with every xDS push and printed document, thousands of them for a big policy; bytes are copied.
   *
   * @param message the message to pack
   * @return the packed message
   */
  public static Any pack(Message message) {
    return Any.newBuilder()
        .setTypeUrlBytes(typeUrlBytes(message.getDescriptorForType()))
        .setValue(message.toByteString())
        .build();
  }

  /**
   * {@link #typeUrl} of {@code descriptor} as UTF-8, to set with {@code
   * Any.Builder.setTypeUrlBytes} (see {@link #pack}).
   *
   * @param descriptor the packed type
   * @return the type URL's bytes, the same instance for every call with one type
   */
  public static ByteString typeUrlBytes(Descriptor descriptor) {
    return TYPE_URL_BYTES.computeIfAbsent(
        descriptor, type -> ByteString.copyFromUtf8(typeUrl(type)));
  }
}
