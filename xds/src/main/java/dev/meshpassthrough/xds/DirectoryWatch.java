package dev.meshpassthrough.xds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories of a {@link FileSource} and reloads it when they change: after the first
 * event, it waits until the directories have been quiet for the debounce time (at most {@link
 * #MAX_DELAY} after the first event), so that an editor's write-and-rename or a {@code cp -r} is
 * one reload. Every {@link #RESCAN} it reloads anyway, in case the file system dropped an event; a
 * reload that finds nothing changed does nothing.
 *
 * <p>One daemon thread; {@link #close()} stops it and waits for a running reload to end.
 */
public final class DirectoryWatch implements AutoCloseable {
  /** The debounce time of {@link #start(FileSource, Consumer)}. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(250);

  /** The longest time from a first event to its reload, however busy the directories are. */
  public static final Duration MAX_DELAY = Duration.ofMillis(1500);

  /** How often the directories are read even without an event. */
  public static final Duration RESCAN = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger("dev.meshpassthrough.xds");

  private final FileSource source;
  private final Duration debounce;
  private final Consumer<FileSource.Reload> listener;
  private final WatchService service;
  private final Set<Path> registered = new HashSet<>();
  private final Thread thread;
  private volatile boolean closed;

  private DirectoryWatch(FileSource source, Duration debounce, Consumer<FileSource.Reload> listener)
      throws IOException {
    this.source = source;
    this.debounce = debounce;
    this.listener = listener;
    this.service = FileSystems.getDefault().newWatchService();
    registerAll();
    this.thread = new Thread(this::loop, "meshpassthrough-watch");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching with {@link #DEFAULT_DEBOUNCE}.
   *
   * @param source the source to reload
   * @param listener called after each reload that changed a file, on the watch thread
   * @return the running watch
   * @throws IOException when the directories cannot be watched
   */
  public static DirectoryWatch start(FileSource source, Consumer<FileSource.Reload> listener)
      throws IOException {
    return start(source, DEFAULT_DEBOUNCE, listener);
  }

  /**
   * Starts watching.
   *
   * @param source the source to reload
   * @param debounce how long the directories must be quiet before a reload
   * @param listener called after each reload that changed a file, on the watch thread
   * @return the running watch
   * @throws IOException when the directories cannot be watched
   */
  public static DirectoryWatch start(
      FileSource source, Duration debounce, Consumer<FileSource.Reload> listener)
      throws IOException {
    DirectoryWatch watch =
        new DirectoryWatch(
            Objects.requireNonNull(source, "source"),
            Objects.requireNonNull(debounce, "debounce"),
            Objects.requireNonNull(listener, "listener"));
    watch.thread.start();
    return watch;
  }

  private void loop() {
    while (!closed) {
      try {
        WatchKey first = service.poll(RESCAN.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          drain(first);
          long deadline = System.nanoTime() + MAX_DELAY.toNanos();
          while (System.nanoTime() < deadline) {
            WatchKey next = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
              break;
            }
            drain(next);
          }
        }
        if (closed) {
          return;
        }
        reload();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
    }
  }

  private void reload() {
    try {
      FileSource.Reload reload = source.reload();
      registerAll();
      if (!reload.changedFiles().isEmpty()) {
        listener.accept(reload);
      }
    } catch (RuntimeException e) {
      // A directory gone or unreadable: say so and keep watching; the next event retries.
      LOG.error("reload failed: {}", e.getMessage(), e);
    } catch (IOException e) {
      LOG.error("cannot watch the directories: {}", e.getMessage(), e);
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  private void registerAll() throws IOException {
    for (Path root : List.of(source.policyDir(), source.proxyDir())) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path dir : walk.filter(Files::isDirectory).toList()) {
          Path real = dir.toAbsolutePath().normalize();
          if (registered.add(real)) {
            real.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_DELETE,
                StandardWatchEventKinds.ENTRY_MODIFY);
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** Stops watching and waits (at most 5 s) for a running reload to end. */
  @Override
  public void close() {
    closed = true;
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service: {}", e.getMessage());
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
