package dev.meshpassthrough.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.xds.AdsServer;
import dev.meshpassthrough.xds.DirectoryWatch;
import dev.meshpassthrough.xds.FileSource;
import dev.meshpassthrough.xds.PassthroughControlPlane;
import dev.meshpassthrough.xds.StatusServer;
import dev.meshpassthrough.xds.UpdateReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code serve}: an xDS control plane over two directories, reloaded as they change. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve the policies under --policies to the proxies under --proxies over xDS (ADS), and follow edits.",
      "",
      "Reads every policy file (YAML or JSON, several documents per file) under --policies and every proxy file "
          + "(one proxy per file, the schema of translate --proxy) under --proxies, subdirectories included, and "
          + "serves each proxy's listeners and clusters over ADS (state of the world and incremental) on --listen. "
          + "An Envoy is served the proxy whose dataplane.name equals its node id, or the node metadata field "
          + "meshpassthrough.dev/proxy when it has one. Versions are the content versions of the resources: "
          + "an edit that changes nothing for a proxy sends it nothing, and a restart sends the same versions.",
      "",
      "Edits are applied within 2 seconds. An invalid file is reported and what it gave before stays in force; a "
          + "proxy whose translation fails keeps its last good configuration. A version an Envoy rejects (NACK) is "
          + "not sent again; the next different one is.",
      "",
      "GET /status on --status gives every node's proxy file, applied policies, outcome, versions, last ACK and "
          + "last NACK with Envoy's text, and problems; /healthz and /readyz (ready once every file loaded valid) too. "
          + "SIGHUP prints the same status to standard error. Logs go to standard error, one line per event.",
      "",
      "Stops on SIGTERM or SIGINT (streams closed, exit 0). Exit status 2: the command line was misused, a "
          + "directory or the guardrails file cannot be read, or an address cannot be bound (in use). With "
          + "--guardrails FILE, a policy or a merged conf that breaks an error guardrail is refused as an invalid "
          + "policy is, and every finding shows in /status."
    })
final class ServeCommand implements Callable<Integer>, StreamsAware {
  /** Stop handles of the servers running in this JVM, for in-process tests. */
  static final List<CountDownLatch> RUNNING = new CopyOnWriteArrayList<>();

  /**
   * serve's logger, in a holder of its own: picocli instantiates every command for every run, and a
   * logger in this class's own static fields started logback (500 classes, its XML configuration)
   * for {@code validate} too.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger("dev.meshpassthrough.serve");

    private Log() {}
  }

  @Mixin ProfileOptions profileOptions;

  @Mixin GuardrailsOption guardrails = new GuardrailsOption();

  @Option(
      names = "--policies",
      required = true,
      paramLabel = "DIR",
      description = "The directory of policy files.")
  Path policies;

  @Option(
      names = "--proxies",
      required = true,
      paramLabel = "DIR",
      description = "The directory of proxy files, one proxy per file.")
  Path proxies;

  @Option(
      names = "--listen",
      paramLabel = "IP:PORT",
      defaultValue = "127.0.0.1:18000",
      converter = AddressConverter.class,
      description = "Where to serve xDS (default: ${DEFAULT-VALUE}); port 0 picks a free port.")
  InetSocketAddress listen;

  @Option(
      names = "--status",
      paramLabel = "IP:PORT",
      defaultValue = "127.0.0.1:18001",
      converter = AddressConverter.class,
      description =
          "Where to serve /status, /healthz and /readyz over HTTP (default: ${DEFAULT-VALUE}).")
  InetSocketAddress status;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = LogFormatConverter.class,
      description = "text or json: one line per event either way (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      converter = LevelConverter.class,
      description = "error, warn, info or debug (default: ${DEFAULT-VALUE}).")
  Level logLevel;

  @Spec CommandLine.Model.CommandSpec spec;

  private Streams streams;

  @Override
  public void setStreams(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (guardrails.read(streams) == GuardrailsOption.Outcome.UNUSABLE) {
      return ExitCode.UNREADABLE;
    }
    PassthroughPipeline.Options options = guardrails.applyTo(profileOptions.pipelineOptions(spec));
    LoggerContext logging = configureLogging();
    try {
      return serve(options);
    } finally {
      // The run's standard error is not ours after the run: flush and let go of it.
      logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAndStopAllAppenders();
    }
  }

  private int serve(PassthroughPipeline.Options options) throws InterruptedException {
    PassthroughPipeline pipeline = PassthroughPipeline.create(options);
    PassthroughControlPlane plane = PassthroughControlPlane.create(pipeline);
    FileSource source;
    try {
      source = FileSource.create(plane, policies, proxies);
    } catch (IllegalArgumentException e) {
      streams.err().println("meshpassthrough serve: " + e.getMessage());
      return ExitCode.UNREADABLE;
    }
    FileSource.Reload first;
    try {
      first = source.reload();
    } catch (UncheckedIOException e) {
      streams.err().println("meshpassthrough serve: " + e.getMessage());
      return ExitCode.UNREADABLE;
    }
    logReload("loaded", first, source);
    AdsServer ads;
    try {
      ads = AdsServer.start(plane, listen);
    } catch (IOException e) {
      streams
          .err()
          .println("meshpassthrough serve: cannot listen on " + text(listen) + ": " + why(e));
      return ExitCode.UNREADABLE;
    }
    StatusServer statusServer;
    try {
      statusServer = StatusServer.start(status, plane, Optional.of(source));
    } catch (IOException e) {
      ads.close();
      streams
          .err()
          .println("meshpassthrough serve: cannot serve status on " + text(status) + ": " + why(e));
      return ExitCode.UNREADABLE;
    }
    DirectoryWatch watch;
    try {
      watch = DirectoryWatch.start(source, reload -> logReload("reloaded", reload, source));
    } catch (IOException e) {
      statusServer.close();
      ads.close();
      streams.err().println("meshpassthrough serve: cannot watch the directories: " + why(e));
      return ExitCode.UNREADABLE;
    }
    CountDownLatch stop = new CountDownLatch(1);
    RUNNING.add(stop);
    Map<Signal, SignalHandler> handled = handleSignals(stop, plane, source);
    Log.LOG.info(
        "serving ADS on {}, status on http://{}/status ({}, Kuma {}.x), policies {}, proxies {}",
        text(ads.address()),
        text(statusServer.address()),
        profileText(options),
        options.kumaLine().name().substring(1),
        policies,
        proxies);
    try {
      stop.await();
    } finally {
      RUNNING.remove(stop);
      Log.LOG.info("stopping: closing streams");
      watch.close();
      statusServer.close();
      ads.close();
      restore(handled);
      Log.LOG.info("stopped");
    }
    return ExitCode.OK;
  }

  private void logReload(String what, FileSource.Reload reload, FileSource source) {
    UpdateReport update = reload.update();
    long pushed = update.pushed().size();
    Log.LOG.info(
        "{} {} changed file(s): {} node(s) run, {} pushed, {} kept their last good snapshot, {} removed;"
            + " {} file(s) rejected{}",
        what,
        reload.changedFiles().size(),
        update.runs(),
        pushed,
        update.nodes().stream().filter(n -> n.kind() == UpdateReport.Kind.KEPT_LAST_GOOD).count(),
        update.nodes().stream().filter(n -> n.kind() == UpdateReport.Kind.REMOVED).count(),
        source.files().stream().filter(f -> !f.errors().isEmpty()).count(),
        source.ready() ? "" : " (not ready: some file is invalid)");
    for (FileSource.FileReport rejected : reload.rejected()) {
      Log.LOG.warn(
          "{} rejected, its last good content stays in force: {}",
          rejected.path(),
          String.join("; ", rejected.errors()));
    }
  }

  private LoggerContext configureLogging() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Encoder<ILoggingEvent> encoder;
    if (logFormat == LogFormat.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setWithContext(false);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithMDC(false);
      json.setWithArguments(false);
      // "formattedMessage" is the line as text shows it; "message" keeps the template.
      json.setWithFormattedMessage(true);
      json.setWithKVPList(false);
      json.setWithMarkers(false);
      encoder = json;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern(
          "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %replace(%msg){'[\\r\\n]+', ' '}"
              + "%replace(%ex{short}){'[\\r\\n\\t]+', ' | '}%nopex%n");
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.setOutputStream(new NonClosingStream(streams.err()));
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    context.getLogger("dev.meshpassthrough").setLevel(logLevel);
    // gRPC and Netty log through java.util.logging.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    return context;
  }

  private Map<Signal, SignalHandler> handleSignals(
      CountDownLatch stop, PassthroughControlPlane plane, FileSource source) {
    Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    for (String name : List.of("TERM", "INT")) {
      handle(
          previous,
          name,
          s -> {
            Log.LOG.info("SIG{} received", s.getName());
            stop.countDown();
          });
    }
    handle(
        previous,
        "HUP",
        s -> streams.err().print(StatusServer.statusJson(plane, Optional.of(source))));
    return previous;
  }

  private static void handle(
      Map<Signal, SignalHandler> previous, String name, SignalHandler handler) {
    try {
      Signal signal = new Signal(name);
      previous.put(signal, Signal.handle(signal, handler));
    } catch (IllegalArgumentException e) {
      // Not a signal here, or one the JVM keeps (-Xrs).
      Log.LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
    }
  }

  /** Gives the signals back to their handlers from before, the JVM's shutdown among them. */
  private static void restore(Map<Signal, SignalHandler> previous) {
    previous.forEach(
        (signal, handler) -> {
          try {
            Signal.handle(signal, handler);
          } catch (IllegalArgumentException e) {
            Log.LOG.debug("cannot restore SIG{}: {}", signal.getName(), e.getMessage());
          }
        });
  }

  private static String profileText(PassthroughPipeline.Options options) {
    String profile = options.translator().profile().name().toLowerCase(Locale.ROOT);
    return "profile "
        + profile
        + ("exact".equals(profile)
            ? ", encoding "
                + options.translator().encoding().name().toLowerCase(Locale.ROOT)
                + ", domain pinning "
                + options.effectiveTranslator().effectiveDomainPinning().wireName()
            : "");
  }

  static String text(InetSocketAddress address) {
    return HostAndPort.fromParts(
            InetAddresses.toAddrString(address.getAddress()), address.getPort())
        .toString();
  }

  private static String why(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  /** The log formats. */
  enum LogFormat {
    TEXT,
    JSON
  }

  /** Reads {@code IP:PORT} ({@code [v6]:PORT} for IPv6): an IP literal, never a name to resolve. */
  static final class AddressConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      HostAndPort hostAndPort;
      try {
        hostAndPort = HostAndPort.fromString(value.trim());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not IP:PORT (" + e.getMessage() + ")");
      }
      if (!hostAndPort.hasPort()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' has no port: write IP:PORT, for example 127.0.0.1:18000");
      }
      InetAddress address;
      try {
        address = InetAddresses.forString(hostAndPort.getHost());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + hostAndPort.getHost() + "' is not an IP address (names are not resolved)");
      }
      return new InetSocketAddress(address, hostAndPort.getPort());
    }
  }

  /** Reads {@code --log-format text|json}. */
  static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      try {
        return LogFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown log format '" + value + "': use text or json");
      }
    }
  }

  /** Reads {@code --log-level}. */
  static final class LevelConverter implements CommandLine.ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (!List.of("error", "warn", "info", "debug").contains(v)) {
        throw new CommandLine.TypeConversionException(
            "unknown log level '" + value + "': use error, warn, info or debug");
      }
      return Level.toLevel(v);
    }
  }

  /** The run's standard error, which the appender must not close. */
  private static final class NonClosingStream extends java.io.FilterOutputStream {
    NonClosingStream(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
