package dev.meshpassthrough.testkit.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.testkit.envoy.internal.DnsResponder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pinning probe's DNS responder, asked over UDP with queries written byte by byte. */
class DnsResponderTest {
  private static final Map<String, java.net.InetAddress> NAMES =
      Map.of(
          "api.test", InetAddresses.forString("127.0.1.1"),
          "v6.test", InetAddresses.forString("::1"));

  /** A standard query with recursion desired: header, one question, class IN. */
  static byte[] query(int id, String name, int type) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    out.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
    return out.toByteArray();
  }

  private static byte[] ask(DnsResponder responder, byte[] request) throws IOException {
    try (DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(2000);
      client.send(new DatagramPacket(request, request.length, responder.address()));
      byte[] buffer = new byte[512];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      client.receive(reply);
      return Arrays.copyOf(reply.getData(), reply.getLength());
    }
  }

  private static int u16(byte[] bytes, int at) {
    return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
  }

  @Test
  void aQueryForAKnownName_isAnsweredWithItsLoopbackAddress() throws IOException {
    try (DnsResponder responder = DnsResponder.start(NAMES)) {
      byte[] request = query(0x1234, "API.test", 1);
      byte[] reply = ask(responder, request);

      assertThat(u16(reply, 0)).as("id").isEqualTo(0x1234);
      assertThat(u16(reply, 2) & 0x8000).as("QR").isNotZero();
      assertThat(u16(reply, 2) & 0x0100).as("RD echoed").isNotZero();
      assertThat(u16(reply, 2) & 0xf).as("rcode").isZero();
      assertThat(u16(reply, 4)).as("questions").isEqualTo(1);
      assertThat(u16(reply, 6)).as("answers").isEqualTo(1);
      // The question echoed as asked, then one A record pointing at it.
      assertThat(Arrays.copyOfRange(reply, 12, request.length))
          .isEqualTo(Arrays.copyOfRange(request, 12, request.length));
      int answer = request.length;
      assertThat(u16(reply, answer)).as("name pointer").isEqualTo(0xc00c);
      assertThat(u16(reply, answer + 2)).as("type A").isEqualTo(1);
      assertThat(u16(reply, answer + 4)).as("class IN").isEqualTo(1);
      assertThat(u16(reply, answer + 10)).as("rdlength").isEqualTo(4);
      assertThat(Arrays.copyOfRange(reply, answer + 12, answer + 16))
          .isEqualTo(new byte[] {127, 0, 1, 1});
      assertThat(responder.queries()).containsExactly(new DnsResponder.Query("api.test", "A"));
    }
  }

  @Test
  void anUnknownName_isNxdomain_andAKnownNameOfTheOtherFamily_hasNoAnswer() throws IOException {
    try (DnsResponder responder = DnsResponder.start(NAMES)) {
      byte[] unknown = ask(responder, query(7, "example.com", 1));
      assertThat(u16(unknown, 2) & 0xf).as("rcode").isEqualTo(3);
      assertThat(u16(unknown, 6)).as("answers").isZero();

      byte[] aaaa = ask(responder, query(8, "api.test", 28));
      assertThat(u16(aaaa, 2) & 0xf).as("rcode").isZero();
      assertThat(u16(aaaa, 6)).as("answers").isZero();

      byte[] v6 = ask(responder, query(9, "v6.test", 28));
      assertThat(u16(v6, 6)).as("answers").isEqualTo(1);
      assertThat(v6).endsWith(InetAddresses.forString("::1").getAddress());

      assertThat(responder.queries())
          .containsExactly(
              new DnsResponder.Query("example.com", "A"),
              new DnsResponder.Query("api.test", "AAAA"),
              new DnsResponder.Query("v6.test", "AAAA"));
    }
  }

  @Test
  void malformedPackets_areDroppedUnanswered_andUnrecorded() throws IOException {
    try (DnsResponder responder = DnsResponder.start(NAMES)) {
      byte[] truncated = Arrays.copyOf(query(1, "api.test", 1), 15);
      byte[] response = query(2, "api.test", 1);
      response[2] |= (byte) 0x80; // QR set: a response, not a query
      byte[] tooShort = {1, 2, 3};
      assertThat(responder.answer(truncated)).isEmpty();
      assertThat(responder.answer(response)).isEmpty();
      assertThat(responder.answer(tooShort)).isEmpty();
      try (DatagramSocket client = new DatagramSocket()) {
        client.setSoTimeout(300);
        client.send(new DatagramPacket(tooShort, tooShort.length, responder.address()));
        assertThatThrownBy(() -> client.receive(new DatagramPacket(new byte[512], 512)))
            .isInstanceOf(SocketTimeoutException.class);
      }
      assertThat(responder.queries()).isEmpty();
      // Still serving.
      assertThat(u16(ask(responder, query(3, "api.test", 1)), 6)).isEqualTo(1);
    }
  }

  @Test
  void close_stopsItsThread_andNonLoopbackAnswersAreRefused() {
    DnsResponder responder = DnsResponder.start(NAMES);
    responder.close();
    assertThat(responder.stopped()).isTrue();
    assertThatThrownBy(
            () -> DnsResponder.start(Map.of("out.test", InetAddresses.forString("192.0.2.1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
