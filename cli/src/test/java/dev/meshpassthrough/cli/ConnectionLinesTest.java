package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line reading: numbering, line ends, blank lines, the length cap, stopping, format detection. */
class ConnectionLinesTest {

  @Test
  void lineNumbers_countEveryLine_crlfAndBlankLinesIncluded() throws Exception {
    Recorded r =
        read(
            "\r\ntcp,10.0.0.5,1,\r\n   \r\nbad\r\ntcp,10.0.0.5,2,",
            ConnectionLines.OnMalformed.CONTINUE);

    assertThat(r.summary).isEqualTo(new ConnectionLines.Summary("csv", 5));
    assertThat(r.events)
        .containsExactly(
            "tcp: opaque bytes to 10.0.0.5:1",
            "4: expected 4 comma-separated fields (protocol,dst_ip,dst_port,sni_or_host), got 1",
            "tcp: opaque bytes to 10.0.0.5:2");
  }

  @Test
  void aLineLongerThanTheBuffer_butWithinTheCap_isReadWhole() throws Exception {
    String name = "a".repeat(50_000) + ".example.com";
    Recorded r =
        read(
            "tls,192.0.2.1,443,x\ntls,192.0.2.1,443," + name + "\n",
            ConnectionLines.OnMalformed.CONTINUE);

    assertThat(r.events).hasSize(2);
    assertThat(r.events.get(1)).isEqualTo("tls: TLS (SNI " + name + ") to 192.0.2.1:443");
  }

  @Test
  void aLineOverTheCap_isMalformed_andTheNextLineKeepsItsNumber() throws Exception {
    String tooLong = "b".repeat(ConnectionLines.MAX_LINE + 1);
    Recorded r =
        read(
            "tcp,10.0.0.5,1,\n" + tooLong + "\ntcp,10.0.0.5,3,\n",
            ConnectionLines.OnMalformed.CONTINUE);

    assertThat(r.events)
        .containsExactly(
            "tcp: opaque bytes to 10.0.0.5:1",
            "2: the line is longer than 65536 characters",
            "tcp: opaque bytes to 10.0.0.5:3");
    assertThat(r.summary.lines()).isEqualTo(3);
  }

  @Test
  void stop_endsAtTheFirstMalformedLine() throws Exception {
    Recorded r = read("tcp,10.0.0.5,1,\nbad\ntcp,10.0.0.5,3,\n", ConnectionLines.OnMalformed.STOP);

    assertThat(r.events).hasSize(2).last().asString().startsWith("2: ");
    assertThat(r.summary.lines()).isEqualTo(2);
  }

  @Test
  void formats_areToldFromTheFirstNonEmptyLine() throws Exception {
    assertThat(
            read(
                    "\n{\"downstream_local_address\":\"10.0.0.5:1\"}\n",
                    ConnectionLines.OnMalformed.CONTINUE)
                .summary
                .format())
        .isEqualTo("envoy-access-log");
    assertThat(read(CsvFormat.HEADER + "\n", ConnectionLines.OnMalformed.CONTINUE).summary.format())
        .isEqualTo("csv");
    assertThat(read("", ConnectionLines.OnMalformed.CONTINUE).summary)
        .isEqualTo(new ConnectionLines.Summary("none", 0));
    assertThatThrownBy(() -> read("hello world\n", ConnectionLines.OnMalformed.CONTINUE))
        .isInstanceOf(ConnectionLines.UnknownFormatException.class)
        .hasMessage(
            "line 1 is neither CSV (protocol,dst_ip,dst_port,sni_or_host) nor an Envoy JSON access"
                + " log line: 'hello world'");
  }

  @Test
  void aCsvAfterAJsonFirstLine_isReadAsJson() throws Exception {
    Recorded r =
        read(
            "{\"downstream_local_address\":\"10.0.0.5:1\"}\ntcp,10.0.0.5,2,\n",
            ConnectionLines.OnMalformed.CONTINUE);

    assertThat(r.events).hasSize(2);
    assertThat(r.events.get(1)).startsWith("2: not a JSON object");
  }

  record Recorded(ConnectionLines.Summary summary, List<String> events) {}

  static Recorded read(String text, ConnectionLines.OnMalformed onMalformed) throws Exception {
    List<String> events = new ArrayList<>();
    Reader reader = new StringReader(text);
    ConnectionLines.Summary summary =
        ConnectionLines.of(reader)
            .read(
                new ConnectionLines.Sink() {
                  @Override
                  public void connection(ConnectionClass connection) {
                    events.add(connection.toString());
                  }

                  @Override
                  public void malformed(long line, String reason) {
                    events.add(line + ": " + reason);
                  }
                },
                onMalformed);
    return new Recorded(summary, events);
  }
}
