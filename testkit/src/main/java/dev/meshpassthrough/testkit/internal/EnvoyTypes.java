package dev.meshpassthrough.testkit.internal;

import com.github.xds.type.matcher.v3.IPMatcher;
import com.github.xds.type.matcher.v3.ServerNameMatcher;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ApplicationProtocolInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DirectSourceIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.SourceIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.SourcePortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.SourceTypeInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import java.util.Optional;

/**
 * Envoy's filter names, protocol strings and the type URLs the simulator recognises. Envoy picks an
 * extension by the type URL of its {@code typed_config}; the name only counts when there is no
 * typed config.
 */
final class EnvoyTypes {
  static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
  static final String HTTP_INSPECTOR = "envoy.filters.listener.http_inspector";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
  static final String ROUTER = "envoy.filters.http.router";

  /** {@code transport_protocol} set by tls_inspector. */
  static final String TRANSPORT_TLS = "tls";

  /** {@code transport_protocol} Envoy sets when no listener filter set one. */
  static final String TRANSPORT_RAW_BUFFER = "raw_buffer";

  static final String ORIGINAL_DST_TYPE = url(OriginalDst.getDescriptor());
  static final String TLS_INSPECTOR_TYPE = url(TlsInspector.getDescriptor());
  static final String HTTP_INSPECTOR_TYPE = url(HttpInspector.getDescriptor());
  static final String TCP_PROXY_TYPE = url(TcpProxy.getDescriptor());
  static final String HTTP_CONNECTION_MANAGER_TYPE = url(HttpConnectionManager.getDescriptor());
  static final String ROUTER_TYPE = url(Router.getDescriptor());

  static final String DESTINATION_PORT_INPUT = url(DestinationPortInput.getDescriptor());
  static final String DESTINATION_IP_INPUT = url(DestinationIPInput.getDescriptor());
  static final String SERVER_NAME_INPUT = url(ServerNameInput.getDescriptor());
  static final String TRANSPORT_PROTOCOL_INPUT = url(TransportProtocolInput.getDescriptor());
  static final String APPLICATION_PROTOCOL_INPUT = url(ApplicationProtocolInput.getDescriptor());
  static final String SOURCE_IP_INPUT = url(SourceIPInput.getDescriptor());
  static final String DIRECT_SOURCE_IP_INPUT = url(DirectSourceIPInput.getDescriptor());
  static final String SOURCE_PORT_INPUT = url(SourcePortInput.getDescriptor());
  static final String SOURCE_TYPE_INPUT = url(SourceTypeInput.getDescriptor());
  static final String IP_INPUT_MATCHER = url(Ip.getDescriptor());
  static final String IP_MATCHER = url(IPMatcher.getDescriptor());
  static final String SERVER_NAME_MATCHER = url(ServerNameMatcher.getDescriptor());
  static final String STRING_VALUE = url(StringValue.getDescriptor());

  private EnvoyTypes() {}

  /** The kind of a filter: its type URL, or its name when there is no typed config. */
  static String kind(Optional<Any> typedConfig, String name) {
    return typedConfig.map(Any::getTypeUrl).map(EnvoyTypes::shortUrl).orElse(name);
  }

  /** The type URL with any host part before the last {@code /} normalised, as Envoy reads it. */
  private static String shortUrl(String typeUrl) {
    int slash = typeUrl.lastIndexOf('/');
    return "type.googleapis.com/" + typeUrl.substring(slash + 1);
  }

  private static String url(Descriptor descriptor) {
    return "type.googleapis.com/" + descriptor.getFullName();
  }
}
