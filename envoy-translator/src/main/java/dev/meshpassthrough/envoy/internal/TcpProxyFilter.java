package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/**
 * The {@code tcp_proxy} filter that ends a chain: statistics under a prefix, traffic to one
 * cluster. A big policy has one per chain, tens of thousands, and packing each into an {@code Any}
 * through a built {@code TcpProxy} costs a message, a size computation and a UTF-8 encoding per
 * string. Names are ASCII in practice, so their encoding is written straight into the packed bytes:
 * the two fields in field-number order, as protobuf writes them; an empty statistics prefix is
 * omitted as proto3 omits it, while the cluster, a member of a {@code oneof}, is written even when
 * empty. Any other name takes protobuf's own road. Either way the {@code Any} is equal to {@code
 * Any.pack} of the message.
 */
public final class TcpProxyFilter {
  /**
   * The type URL and the filter's name as UTF-8, set as bytes: a field set from a {@code String} is
   * encoded again every time the message is serialized (an xDS push, a printed document), tens of
   * thousands of times for a big policy; one set from bytes is copied.
   */
  private static final ByteString TYPE_URL = EnvoyNames.typeUrlBytes(TcpProxy.getDescriptor());

  private static final ByteString NAME = ByteString.copyFromUtf8(EnvoyNames.TCP_PROXY);

  private static final int STAT_PREFIX_TAG =
      (TcpProxy.STAT_PREFIX_FIELD_NUMBER << 3) | 2; // length-delimited

  private static final int CLUSTER_TAG = (TcpProxy.CLUSTER_FIELD_NUMBER << 3) | 2;

  private TcpProxyFilter() {}

  /**
   * The filter {@code envoy.filters.network.tcp_proxy} with {@code stat_prefix} and {@code cluster}
   * set.
   *
   * @param statPrefix the statistics prefix
   * @param cluster the cluster all traffic goes to
   * @return the filter, its config packed
   */
  public static Filter of(String statPrefix, String cluster) {
    return Filter.newBuilder()
        .setNameBytes(NAME)
        .setTypedConfig(packed(statPrefix, cluster))
        .build();
  }

  /**
   * {@code Any.pack} of the {@code TcpProxy} with {@code stat_prefix} and {@code cluster} set.
   *
   * @param statPrefix the statistics prefix
   * @param cluster the cluster all traffic goes to
   * @return the packed message
   */
  public static Any packed(String statPrefix, String cluster) {
    int prefixSize = statPrefix.isEmpty() ? 0 : fieldSize(statPrefix);
    byte[] bytes = new byte[prefixSize + fieldSize(cluster)];
    int at = statPrefix.isEmpty() ? 0 : write(bytes, 0, STAT_PREFIX_TAG, statPrefix);
    if (at < 0 || write(bytes, at, CLUSTER_TAG, cluster) < 0) {
      return Any.pack(TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build());
    }
    // The array is this method's own and never changes after: no copy.
    return Any.newBuilder()
        .setTypeUrlBytes(TYPE_URL)
        .setValue(UnsafeByteOperations.unsafeWrap(bytes))
        .build();
  }

  /** The bytes of an ASCII string field: tag, length and chars. */
  private static int fieldSize(String text) {
    int length = text.length();
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  /**
   * Writes the field at {@code from}; returns where it ends, or -1 when {@code text} is not ASCII
   * (its chars then take more bytes than counted).
   */
  private static int write(byte[] bytes, int from, int tag, String text) {
    int length = text.length();
    int at = from;
    bytes[at++] = (byte) tag;
    int rest = length;
    while (rest >= 0x80) {
      bytes[at++] = (byte) (rest | 0x80);
      rest >>>= 7;
    }
    bytes[at++] = (byte) rest;
    int all = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      all |= c;
      bytes[at++] = (byte) c;
    }
    return all < 0x80 ? at : -1;
  }
}
