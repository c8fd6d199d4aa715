package dev.meshpassthrough.xds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.xds.internal.StreamBook;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP endpoint on the state of a control plane (JDK HTTP server, plain HTTP, meant for
 * loopback):
 *
 * <ul>
 *   <li>{@code GET /status}: JSON, {@link #statusJson}: readiness, every file with its problems,
 *       every node with its proxy file, applied policies, outcome, versions, last ACK per type,
 *       last NACK with Envoy's text, problems;
 *   <li>{@code GET /healthz}: 200 {@code ok} while the server runs;
 *   <li>{@code GET /readyz}: 200 {@code ready} once the first complete load succeeded (every file
 *       valid), else 503 with the reason.
 * </ul>
 */
public final class StatusServer implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final HttpServer server;
  private final ExecutorService executor;

  private StatusServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds and starts the endpoint.
   *
   * @param address where to listen; port 0 picks a free port
   * @param plane the control plane
   * @param source the file source, for readiness and file problems; empty when the control plane is
   *     fed otherwise (then it is ready from the start)
   * @return the running server
   * @throws IOException when the address cannot be bound
   */
  public static StatusServer start(
      InetSocketAddress address, PassthroughControlPlane plane, Optional<FileSource> source)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "meshpassthrough-status");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/status",
        exchange -> respond(exchange, 200, "application/json", statusJson(plane, source)));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean ready = source.map(FileSource::ready).orElse(true);
          respond(
              exchange,
              ready ? 200 : 503,
              "text/plain",
              ready ? "ready\n" : "not ready: no load with every file valid yet\n");
        });
    server.createContext(
        "/", exchange -> respond(exchange, 404, "text/plain", "try /status, /healthz, /readyz\n"));
    server.start();
    return new StatusServer(server, executor);
  }

  /**
   * Where the endpoint listens, with the port it got.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * The status document of {@code GET /status}.
   *
   * @param plane the control plane
   * @param source the file source, if any
   * @return the JSON text, indented
   */
  public static String statusJson(PassthroughControlPlane plane, Optional<FileSource> source) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ready", source.map(FileSource::ready).orElse(true));
    root.put("runs", plane.runs());
    ArrayNode files = root.putArray("files");
    source.ifPresent(
        s ->
            s.files()
                .forEach(
                    f -> {
                      ObjectNode file = files.addObject();
                      file.put("path", f.path().toString());
                      file.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
                      file.put("applied", f.errors().isEmpty());
                      strings(file.putArray("errors"), f.errors());
                      strings(file.putArray("warnings"), f.warnings());
                    }));
    ArrayNode nodes = root.putArray("nodes");
    for (NodeStatus n : plane.status()) {
      ObjectNode node = nodes.addObject();
      node.put("node", n.node());
      n.source().ifPresentOrElse(s -> node.put("proxyFile", s), () -> node.putNull("proxyFile"));
      strings(node.putArray("appliedPolicies"), n.appliedPolicies());
      n.outcome()
          .ifPresentOrElse(o -> node.put("outcome", o.name()), () -> node.putNull("outcome"));
      ObjectNode versions = node.putObject("versions");
      n.listenersVersion().ifPresent(v -> versions.put("Listener", v));
      n.clustersVersion().ifPresent(v -> versions.put("Cluster", v));
      n.updatedAt().ifPresent(t -> node.put("updatedAt", t.toString()));
      node.put("streams", n.streams());
      ObjectNode acks = node.putObject("lastAck");
      for (Map.Entry<String, NodeStatus.Ack> a : n.lastAcks().entrySet()) {
        ObjectNode ack = acks.putObject(StreamBook.shortType(a.getKey()));
        ack.put("version", a.getValue().version());
        ack.put("at", a.getValue().at().toString());
      }
      n.lastNack()
          .ifPresentOrElse(
              k -> {
                ObjectNode nack = node.putObject("lastNack");
                nack.put("type", StreamBook.shortType(k.typeUrl()));
                nack.put("version", k.version());
                nack.put("error", k.error());
                nack.put("at", k.at().toString());
              },
              () -> node.putNull("lastNack"));
      node.put("nacks", n.nacks());
      ArrayNode problems = node.putArray("problems");
      for (Problem p : n.problems()) {
        ObjectNode problem = problems.addObject();
        problem.put("ruleId", p.ruleId());
        problem.put("severity", p.severity().name());
        problem.put("message", p.message());
        p.policy().ifPresent(x -> problem.put("policy", x));
        p.path().ifPresent(x -> problem.put("path", x.toString()));
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        code = 405;
        body = "GET only\n";
        type = "text/plain";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** Stops the endpoint (at most 1 s for running exchanges). */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
