package dev.meshpassthrough.envoy.internal.exact;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.meshpassthrough.envoy.internal.EnvoyNames;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Packs HTTP connection managers whose route configurations repeat one list of virtual hosts. The
 * HTTP chains of a port (one per IP node) carry the same virtual hosts, thousands for a big policy:
 * they are encoded once ({@link #forwardingHosts}) and copied into each manager's bytes, instead of
 * being encoded again for every chain's {@code Any}.
 *
 * <p>The bytes are exactly those of {@code Any.pack} of the same manager: protobuf writes the known
 * fields of a message in field-number order, so a manager's encoding is the fields before {@code
 * route_config} (here {@code stat_prefix}), then {@code route_config} (its {@code name}, then its
 * {@code virtual_hosts} in order), then the fields after it. {@code ManagerEncodingTest} compares
 * the two byte for byte.
 */
final class ManagerEncoding {
  /**
   * The type URL {@code Any.pack} writes for a manager, as UTF-8: set as bytes, it is copied, not
   * encoded again, whenever the manager's {@code Any} is serialized.
   */
  private static final ByteString TYPE_URL =
      EnvoyNames.typeUrlBytes(HttpConnectionManager.getDescriptor());

  private ManagerEncoding() {}

  /** The encoding of the route match {@code prefix: "/"}: a route's first field. */
  private static final byte[] PREFIX_ALL =
      RouteMatch.newBuilder().setPrefix("/").build().toByteArray();

  /**
   * The encoding as the {@code virtual_hosts} fields of a route configuration of one virtual host
   * per domain of {@code domains}, named by it and for it alone, with one route that sends every
   * path ({@code prefix: "/"}) to the cluster at the same position of {@code clusters}: what an
   * HTTP chain's hosts are. Written field by field in field-number order, as protobuf writes the
   * built hosts (virtual host: {@code name}, {@code domains}, {@code routes}; route: {@code match},
   * {@code route}; action: {@code cluster}), each string encoded once, without building thousands
   * of messages and sizing each of them twice. {@code ManagerEncodingTest} compares the bytes with
   * the built hosts'.
   *
   * @param domains the hosts' domains, in order
   * @param clusters the cluster of each domain's route
   * @return the hosts' fields' bytes, to pass to {@link #pack}
   */
  static ByteString forwardingHosts(List<String> domains, List<String> clusters) {
    if (domains.size() != clusters.size()) {
      throw new IllegalArgumentException("a cluster per domain");
    }
    int n = domains.size();
    byte[][] domainBytes = new byte[n][];
    byte[][] clusterBytes = new byte[n][];
    int[] hostSizes = new int[n];
    int[] routeSizes = new int[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      byte[] domain = domains.get(i).getBytes(StandardCharsets.UTF_8);
      byte[] cluster = clusters.get(i).getBytes(StandardCharsets.UTF_8);
      int actionSize =
          CodedOutputStream.computeByteArraySize(RouteAction.CLUSTER_FIELD_NUMBER, cluster);
      int routeSize =
          CodedOutputStream.computeByteArraySize(Route.MATCH_FIELD_NUMBER, PREFIX_ALL)
              + CodedOutputStream.computeTagSize(Route.ROUTE_FIELD_NUMBER)
              + CodedOutputStream.computeUInt32SizeNoTag(actionSize)
              + actionSize;
      int hostSize =
          (domain.length == 0
                  ? 0
                  : CodedOutputStream.computeByteArraySize(VirtualHost.NAME_FIELD_NUMBER, domain))
              + CodedOutputStream.computeByteArraySize(VirtualHost.DOMAINS_FIELD_NUMBER, domain)
              + CodedOutputStream.computeTagSize(VirtualHost.ROUTES_FIELD_NUMBER)
              + CodedOutputStream.computeUInt32SizeNoTag(routeSize)
              + routeSize;
      size +=
          CodedOutputStream.computeTagSize(RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER)
              + CodedOutputStream.computeUInt32SizeNoTag(hostSize)
              + hostSize;
      domainBytes[i] = domain;
      clusterBytes[i] = cluster;
      hostSizes[i] = hostSize;
      routeSizes[i] = routeSize;
    }
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (int i = 0; i < n; i++) {
        out.writeTag(
            RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(hostSizes[i]);
        if (domainBytes[i].length > 0) {
          out.writeByteArray(VirtualHost.NAME_FIELD_NUMBER, domainBytes[i]);
        }
        out.writeByteArray(VirtualHost.DOMAINS_FIELD_NUMBER, domainBytes[i]);
        out.writeTag(VirtualHost.ROUTES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(routeSizes[i]);
        out.writeByteArray(Route.MATCH_FIELD_NUMBER, PREFIX_ALL);
        out.writeTag(Route.ROUTE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(
            CodedOutputStream.computeByteArraySize(
                RouteAction.CLUSTER_FIELD_NUMBER, clusterBytes[i]));
        out.writeByteArray(RouteAction.CLUSTER_FIELD_NUMBER, clusterBytes[i]);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("writing into an array of the computed size", e);
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /**
   * {@code Any.pack} of the manager with {@code statPrefix}, a route configuration named {@code
   * routeConfigName} whose virtual hosts are those encoded in {@code virtualHosts} followed by
   * {@code last}, and every field of {@code rest}.
   *
   * @param statPrefix the manager's {@code stat_prefix}
   * @param routeConfigName the route configuration's {@code name}
   * @param virtualHosts the first virtual hosts, encoded by {@link #forwardingHosts}
   * @param last the last virtual host
   * @param rest the manager's other fields, all numbered after {@code route_config}
   * @return the packed manager
   * @throws IllegalArgumentException when {@code rest} sets a field numbered up to {@code
   *     route_config}'s
   */
  static Any pack(
      String statPrefix,
      String routeConfigName,
      ByteString virtualHosts,
      VirtualHost last,
      HttpConnectionManager rest) {
    if (rest.getCodecTypeValue() != 0
        || !rest.getStatPrefix().isEmpty()
        || rest.hasRds()
        || rest.hasRouteConfig()) {
      throw new IllegalArgumentException(
          "the rest of a manager may only set fields after route_config");
    }
    int routeConfigSize =
        stringSize(RouteConfiguration.NAME_FIELD_NUMBER, routeConfigName)
            + virtualHosts.size()
            + CodedOutputStream.computeMessageSize(
                RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER, last);
    int size =
        stringSize(HttpConnectionManager.STAT_PREFIX_FIELD_NUMBER, statPrefix)
            + CodedOutputStream.computeTagSize(HttpConnectionManager.ROUTE_CONFIG_FIELD_NUMBER)
            + CodedOutputStream.computeUInt32SizeNoTag(routeConfigSize)
            + routeConfigSize
            + rest.getSerializedSize();
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writeString(out, HttpConnectionManager.STAT_PREFIX_FIELD_NUMBER, statPrefix);
      out.writeTag(
          HttpConnectionManager.ROUTE_CONFIG_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(routeConfigSize);
      writeString(out, RouteConfiguration.NAME_FIELD_NUMBER, routeConfigName);
      out.writeRawBytes(virtualHosts);
      out.writeMessage(RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER, last);
      rest.writeTo(out);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("writing into an array of the computed size", e);
    }
    return Any.newBuilder()
        .setTypeUrlBytes(TYPE_URL)
        .setValue(UnsafeByteOperations.unsafeWrap(bytes))
        .build();
  }

  /** A proto3 string field's size: nothing when empty, as the generated code writes it. */
  private static int stringSize(int field, String value) {
    return value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, value);
  }

  private static void writeString(CodedOutputStream out, int field, String value)
      throws IOException {
    if (!value.isEmpty()) {
      out.writeString(field, value);
    }
  }
}
