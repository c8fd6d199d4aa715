package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link EnvoyNames#pack} is {@code Any.pack}: an equal message of the same encoding. */
class EnvoyNamesPackTest {

  static Stream<Message> messages() {
    return Stream.of(
        Router.getDefaultInstance(),
        TcpProxy.newBuilder().setStatPrefix("s").setCluster("ü".repeat(200)).build(),
        StringValue.of("meshpassthrough_443_10.0.0.0/8_tls"),
        ClusterFactory.http2Options().build(),
        HttpProtocolOptions.getDefaultInstance());
  }

  @ParameterizedTest
  @MethodSource("messages")
  void pack_isAnyPack(Message message) {
    Any packed = EnvoyNames.pack(message);

    assertThat(packed).isEqualTo(Any.pack(message));
    assertThat(packed.toByteString()).isEqualTo(Any.pack(message).toByteString());
    assertThat(EnvoyNames.typeUrlBytes(message.getDescriptorForType()))
        .isSameAs(EnvoyNames.typeUrlBytes(message.getDescriptorForType()))
        .isEqualTo(Any.pack(message).getTypeUrlBytes());
  }
}
