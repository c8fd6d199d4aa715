package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The packed {@code tcp_proxy} equals {@code Any.pack} of the built message, byte for byte, on
 * either road: ASCII names written directly (lengths of one- to three-byte varints; an empty
 * statistics prefix omitted, an empty cluster, in a {@code oneof}, written), other names through
 * protobuf.
 */
class TcpProxyFilterTest {

  @Property(tries = 1000)
  void packed_equalsAnyPackOfTheMessage(
      @ForAll("names") String statPrefix, @ForAll("names") String cluster) {
    Any expected =
        Any.pack(TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build());

    Any packed = TcpProxyFilter.packed(statPrefix, cluster);

    assertThat(packed).isEqualTo(expected);
    assertThat(packed.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void theFilter_isNamedTcpProxy_andParsesBack() throws Exception {
    Filter filter = TcpProxyFilter.of("meshpassthrough_tcp_10_0_0_1_80", "c\u00e9");

    assertThat(filter.getName()).isEqualTo("envoy.filters.network.tcp_proxy");
    TcpProxy tcpProxy = filter.getTypedConfig().unpack(TcpProxy.class);
    assertThat(tcpProxy.getStatPrefix()).isEqualTo("meshpassthrough_tcp_10_0_0_1_80");
    assertThat(tcpProxy.getCluster()).isEqualTo("c\u00e9");
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(40);
    Arbitrary<String> any = Arbitraries.strings().ofMaxLength(10);
    // Lengths around the varint steps: 127/128 and 16383/16384.
    Arbitrary<String> long_ =
        Arbitraries.of(126, 127, 128, 129, 300, 16383, 16384, 16385).map(n -> "m".repeat(n));
    return Arbitraries.oneOf(ascii, ascii, ascii, any, long_).edgeCases(edges -> edges.add(""));
  }
}
