package dev.meshpassthrough.testkit.envoy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the probe's JSON access log as Envoy appends to it, and indexes the entries by the client's
 * address (unique per probe connection: the PROXY header's source).
 */
public final class AccessLogTail implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The kind of the audit log's lines, which the probe writes into its own log. */
  public static final String AUDIT = "audit";

  private final Path file;
  private final Thread reader;
  private final Map<String, List<Entry>> byRemote = new HashMap<>();
  private final List<String> auditLines = new ArrayList<>();
  private volatile boolean closed;
  private long offset;
  private final StringBuilder partial = new StringBuilder();

  /** One access-log line. */
  public record Entry(
      String kind,
      int generation,
      String listenerTag,
      String remote,
      String local,
      Optional<String> chain,
      Optional<String> cluster,
      Optional<Integer> code,
      String flags,
      String details,
      Optional<String> route,
      Optional<String> upstreamHost,
      Optional<String> upstreamLocal) {}

  /** Starts following {@code file} (created empty if missing). */
  public AccessLogTail(Path file) throws IOException {
    this.file = file;
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    this.reader = new Thread(this::follow, "meshpassthrough-access-log");
    reader.setDaemon(true);
    reader.start();
  }

  private void follow() {
    while (!closed) {
      try {
        readNew();
        Thread.sleep(3);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        // the file is rewritten or gone: try again
      }
    }
  }

  private void readNew() throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= offset) {
        return;
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
      raf.seek(offset);
      raf.readFully(bytes);
      offset += bytes.length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    }
    int newline;
    List<Entry> parsed = new ArrayList<>();
    while ((newline = partial.indexOf("\n")) >= 0) {
      String line = partial.substring(0, newline).strip();
      partial.delete(0, newline + 1);
      if (!line.isEmpty()) {
        Optional<Entry> entry = parse(line);
        entry.ifPresent(parsed::add);
        if (entry.filter(e -> e.kind().equals(AUDIT)).isPresent()) {
          synchronized (auditLines) {
            auditLines.add(line);
          }
        }
      }
    }
    if (!parsed.isEmpty()) {
      synchronized (byRemote) {
        parsed.forEach(e -> byRemote.computeIfAbsent(e.remote(), k -> new ArrayList<>()).add(e));
        byRemote.notifyAll();
      }
    }
  }

  private static Optional<Entry> parse(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return Optional.of(
          new Entry(
              text(node, "kind").orElse(""),
              text(node, "generation").flatMap(AccessLogTail::number).orElse(-1),
              text(node, "listener").orElse(""),
              // Audit lines carry the client's address as "source".
              text(node, "remote").or(() -> text(node, "source")).orElse(""),
              text(node, "local").orElse(""),
              text(node, "chain"),
              text(node, "cluster"),
              text(node, "code").flatMap(AccessLogTail::number),
              text(node, "flags").orElse("-"),
              text(node, "details").orElse("-"),
              text(node, "route"),
              text(node, "upstream_host"),
              text(node, "upstream_local")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Integer> number(String text) {
    try {
      int value = Integer.parseInt(text);
      return value == 0 ? Optional.empty() : Optional.of(value);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    String text = value.asText();
    return text.isEmpty() || text.equals("-") ? Optional.empty() : Optional.of(text);
  }

  /** The audit log's lines so far, as Envoy wrote them (with the harness's kind and generation). */
  public List<String> auditLines() {
    synchronized (auditLines) {
      return List.copyOf(auditLines);
    }
  }

  /**
   * The entries of {@code remote} so far, from the {@code from}-th on (a client address may be used
   * again).
   */
  public List<Entry> entries(String remote, int from) {
    synchronized (byRemote) {
      List<Entry> all = byRemote.getOrDefault(remote, List.of());
      return from >= all.size() ? List.of() : List.copyOf(all.subList(from, all.size()));
    }
  }

  /** How many entries {@code remote} has so far. */
  public int count(String remote) {
    synchronized (byRemote) {
      return byRemote.getOrDefault(remote, List.of()).size();
    }
  }

  /**
   * Waits until an entry of {@code kind} for {@code remote}, from the {@code from}-th on, arrives,
   * at most until {@code deadlineNanos}.
   */
  public Optional<Entry> await(String remote, int from, String kind, long deadlineNanos)
      throws InterruptedException {
    synchronized (byRemote) {
      while (true) {
        Optional<Entry> found =
            entries(remote, from).stream().filter(e -> e.kind().equals(kind)).findFirst();
        long left = deadlineNanos - System.nanoTime();
        if (found.isPresent() || left <= 0) {
          return found;
        }
        byRemote.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
  }
}
