package dev.meshpassthrough.testkit;

/**
 * The known ways in which Envoy, configured by Kuma's MeshPassthrough plugin (the {@code kuma}
 * translation profile), does not do what the policy says ({@link PolicyIntent}). Each was found by
 * the testkit's property run and has a minimal example in the README.
 *
 * <p>{@link PolicySimulation#explain(Connection)} names the limitation behind a disagreement when
 * it recognises one, by checking a counterfactual: the same connection or policy changed in the one
 * respect the limitation is about is decided as the policy says. When several apply, the first in
 * declaration order is named: the single-rule limitations of the connection's own kind, then the
 * interactions between rules, then the single-rule limitation of {@code tcp} rules.
 */
public enum KumaLimitation {
  /**
   * tls_inspector and http_inspector run on every port without a {@code mysql} rule and wait for
   * the client's first bytes: a server-first protocol (SMTP, FTP, POP3, MySQL on another port...)
   * behind a {@code tcp} rule stalls and is closed after 15 s.
   */
  SERVER_FIRST_STALLS(
      "server-first-stalls",
      "the inspectors wait for client bytes on ports without a mysql rule: a server-first protocol under a tcp rule stalls"),
  /**
   * Kuma's HTTP chains list ALPN {@code [http/1.1, h2c]}, without {@code http/1.0}, and its HTTP
   * connection managers do not set {@code accept_http_10}: HTTP/1.0 requests are closed or get 426.
   */
  HTTP_1_0_REFUSED(
      "http-1.0-refused",
      "Kuma's HTTP chains match ALPN http/1.1 and h2c only, and do not accept HTTP/1.0"),
  /**
   * Kuma lists an HTTP domain as {@code host} and {@code host:port} with the rule's port ({@code
   * host:*} only for a port-less rule on ports no rule names), and Envoy matches the Host with its
   * port: a request whose Host carries another port than the one dialed gets the 503 virtual host.
   */
  HOST_PORT_NOT_LISTED(
      "host-port-not-listed",
      "Kuma's virtual hosts list host and host:<rule port> only: a Host carrying another port gets 503"),
  /**
   * Kuma's chains for {@code http}, {@code http2} and {@code grpc} IP and CIDR rules are HTTP
   * connection managers, which refuse a request without Host: HTTP/1.1 without {@code Host} gets
   * 400 ({@code missing_host_header}) and h2c without {@code :authority} is reset (measured on
   * Envoy 1.40), although the rule allows any HTTP to the address.
   */
  HOSTLESS_REQUEST_REFUSED(
      "hostless-request-refused",
      "Kuma's HTTP IP and CIDR chains parse requests: one without Host gets 400 (h2c: reset), although the rule allows any HTTP there"),
  /**
   * The "port → IP → SNI" pitfall: legacy filter-chain selection keeps only the longest matching
   * destination prefix and never backtracks, so a more specific IP or CIDR rule on the port hides
   * the domain rules, and the less specific CIDR rules, that would allow the connection.
   */
  IP_BRANCH_HIDES_RULES(
      "port-ip-sni-pitfall",
      "Envoy keeps only the most specific IP branch: an IP or CIDR rule on the port hides the domain and wider CIDR rules"),
  /**
   * On a port with a {@code mysql} rule, Kuma turns tls_inspector and http_inspector off for every
   * destination: no SNI, transport {@code tls} or HTTP ALPN is seen there, so {@code tls} and
   * {@code http} rules on that port never match.
   */
  INSPECTORS_OFF_ON_MYSQL_PORT(
      "mysql-port-disables-inspectors",
      "a mysql rule turns the TLS and HTTP inspectors off on its port, for every destination: tls and http rules there never match"),
  /**
   * A {@code tcp} rule's chain requires transport {@code raw_buffer}, but tls_inspector marks TLS
   * traffic {@code tls}: TLS to an address that only a {@code tcp} rule covers is closed.
   */
  TLS_ON_TCP_RULE(
      "tls-on-tcp-rule",
      "a tcp rule's chain requires transport raw_buffer, so TLS to an address only a tcp rule covers is closed");

  private final String id;
  private final String summary;

  KumaLimitation(String id, String summary) {
    this.id = id;
    this.summary = summary;
  }

  /**
   * A stable kebab-case id, for example {@code port-ip-sni-pitfall}.
   *
   * @return the id, unique among the limitations and never null; key on it rather than on the
   *     constant's name
   */
  public String id() {
    return id;
  }

  /**
   * One sentence on what goes wrong.
   *
   * @return the sentence, without a final period, never null; its wording may improve
   */
  public String summary() {
    return summary;
  }
}
