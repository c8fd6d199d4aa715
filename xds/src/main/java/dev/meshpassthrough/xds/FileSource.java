package dev.meshpassthrough.xds;

import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.parse.OtherKinds;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.validation.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link PassthroughControlPlane} from two directories: every policy file under one (YAML
 * or JSON, {@code .yaml}, {@code .yml}, {@code .json}, several documents per file, other kinds
 * skipped with a note), every proxy file under the other (one proxy per file, registered under its
 * {@code dataplane.name}). Subdirectories are read too; hidden files and directories are not.
 *
 * <p>{@link #reload()} reads what changed since the last reload (a file is read again when its
 * size, modification time or identity changed, and counts as changed when its content did) and
 * applies it as one {@link PassthroughControlPlane.Update}.
 *
 * <p><b>Last good per file.</b> A file that cannot be read, parsed or validated is reported and
 * leaves what it gave before in place: an invalid edit of a policy file keeps the file's previous
 * policies, an invalid proxy file keeps the proxy's previous snapshot. A policy whose mesh and name
 * another file already has makes the later file (in path order) invalid. A deleted file removes
 * what it gave.
 *
 * <p>Not thread-safe: call {@link #reload()} from one thread ({@link DirectoryWatch} does).
 */
public final class FileSource {
  private static final Logger LOG = LoggerFactory.getLogger("dev.meshpassthrough.xds");
  private static final int MAX_FILE_BYTES = ParseLimits.defaults().maxInputBytes();

  private final PassthroughControlPlane plane;
  private final Path policyDir;
  private final Path proxyDir;
  private final PolicyParser parser;
  private final Map<Path, FileState> policyFiles = new TreeMap<>();
  private final Map<Path, FileState> proxyFiles = new TreeMap<>();
  private boolean ready;
  private Set<String> heldProxies = new TreeSet<>();

  private FileSource(PassthroughControlPlane plane, Path policyDir, Path proxyDir) {
    this.plane = Objects.requireNonNull(plane, "plane");
    this.policyDir = Objects.requireNonNull(policyDir, "policyDir");
    this.proxyDir = Objects.requireNonNull(proxyDir, "proxyDir");
    this.parser = PolicyParser.create(ParseLimits.defaults(), OtherKinds.SKIP);
  }

  /**
   * A source over two directories; nothing is read until {@link #reload()}.
   *
   * @param plane the control plane to feed
   * @param policyDir the directory of policy files
   * @param proxyDir the directory of proxy files
   * @return the source
   * @throws IllegalArgumentException when a directory is not a readable directory
   */
  public static FileSource create(PassthroughControlPlane plane, Path policyDir, Path proxyDir) {
    for (Path dir : List.of(policyDir, proxyDir)) {
      if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
        throw new IllegalArgumentException(dir + " is not a readable directory");
      }
    }
    return new FileSource(plane, policyDir, proxyDir);
  }

  /**
   * The directory of policy files.
   *
   * @return the directory
   */
  public Path policyDir() {
    return policyDir;
  }

  /**
   * The directory of proxy files.
   *
   * @return the directory
   */
  public Path proxyDir() {
    return proxyDir;
  }

  /**
   * Whether a reload has completed with every file read and valid: the readiness of a server.
   *
   * @return true once that happened (it stays true)
   */
  public synchronized boolean ready() {
    return ready;
  }

  /**
   * Every file read, with its state: applied, or rejected with its problems (and its last good
   * content still in force).
   *
   * @return the reports, policy files first, each kind in path order
   */
  public synchronized List<FileReport> files() {
    List<FileReport> out = new ArrayList<>();
    policyFiles.forEach((path, state) -> out.add(state.report(path, FileReport.Kind.POLICY)));
    proxyFiles.forEach((path, state) -> out.add(state.report(path, FileReport.Kind.PROXY)));
    return out;
  }

  /**
   * Reads what changed in both directories and applies it.
   *
   * @return what changed and what the control plane did with it
   * @throws UncheckedIOException when a directory cannot be listed
   */
  public synchronized Reload reload() {
    List<Path> changedFiles = new ArrayList<>();
    boolean policiesChanged = scan(policyDir, policyFiles, changedFiles);
    boolean proxiesChanged = scan(proxyDir, proxyFiles, changedFiles);
    PassthroughControlPlane.Update update = plane.update();
    if (policiesChanged) {
      readPolicies(update);
    }
    if (proxiesChanged) {
      readProxies(update);
    }
    UpdateReport report = update.isEmpty() ? new UpdateReport(List.of(), 0) : update.apply();
    boolean allGood =
        Stream.concat(policyFiles.values().stream(), proxyFiles.values().stream())
            .allMatch(s -> s.errors.isEmpty());
    if (allGood) {
      ready = true;
    }
    List<FileReport> rejected =
        files().stream()
            .filter(f -> !f.errors().isEmpty() && changedFiles.contains(f.path()))
            .toList();
    return new Reload(changedFiles, rejected, report);
  }

  /** Lists the files under {@code dir}, drops the deleted ones, marks the changed ones dirty. */
  private boolean scan(Path dir, Map<Path, FileState> files, List<Path> changed) {
    Set<Path> present = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir))
          .filter(p -> !hidden(dir, p))
          .filter(p -> Files.isRegularFile(p))
          .filter(FileSource::readableName)
          .forEach(present::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      // Files.walk reports a directory it cannot read while walking this way.
      IOException cause = e.getCause();
      throw new UncheckedIOException(
          "cannot list " + dir + ": " + (cause == null ? e.getMessage() : cause.getMessage()),
          cause == null ? new IOException(e) : cause);
    }
    boolean any = false;
    for (Path gone : new ArrayList<>(files.keySet())) {
      if (!present.contains(gone)) {
        files.remove(gone);
        changed.add(gone);
        any = true;
      }
    }
    for (Path file : present) {
      FileState state = files.computeIfAbsent(file, f -> new FileState());
      Optional<String> stamp = stamp(file);
      if (stamp.isPresent() && stamp.get().equals(state.stamp)) {
        continue;
      }
      state.stamp = stamp.orElse(null);
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        // No further than the limit of an input: a huge file is an error, not a heap full.
        bytes = in.readNBytes(MAX_FILE_BYTES);
        if (bytes.length == MAX_FILE_BYTES && in.read() != -1) {
          throw new IOException("larger than " + MAX_FILE_BYTES + " bytes, the limit of an input");
        }
      } catch (NoSuchFileException e) {
        // Renamed away between the listing and the read: the next reload sees it.
        files.remove(file);
        continue;
      } catch (IOException e) {
        state.errors = List.of(file + ": cannot read: " + e.getMessage());
        state.candidateErrors = state.errors;
        state.dirty = false;
        changed.add(file);
        any = true;
        continue;
      }
      String hash = sha256(bytes);
      if (hash.equals(state.hash)) {
        continue;
      }
      state.hash = hash;
      state.text = new String(bytes, StandardCharsets.UTF_8);
      state.dirty = true;
      changed.add(file);
      any = true;
    }
    return any;
  }

  private void readPolicies(PassthroughControlPlane.Update update) {
    PassthroughPipeline pipeline = plane.pipeline();
    Map<PassthroughControlPlane.PolicyId, Path> owners = new HashMap<>();
    Map<PassthroughControlPlane.PolicyId, MeshPassthroughPolicy> wanted = new TreeMap<>();
    for (Map.Entry<Path, FileState> e : policyFiles.entrySet()) {
      FileState state = e.getValue();
      if (state.dirty) {
        state.dirty = false;
        readPolicyFile(e.getKey(), state, pipeline);
      }
      // A file whose policies another file already has is rejected, whole.
      List<String> clashes = new ArrayList<>();
      for (MeshPassthroughPolicy p : state.candidatePolicies) {
        Path owner = owners.get(PassthroughControlPlane.PolicyId.of(p));
        if (owner != null) {
          clashes.add(
              e.getKey()
                  + ": policy "
                  + PassthroughControlPlane.PolicyId.of(p)
                  + " is already defined in "
                  + owner);
        }
      }
      if (!clashes.isEmpty()) {
        state.errors = List.copyOf(clashes);
        LOG.warn(
            "policy file {} is rejected, its last good policies stay in force: {}",
            e.getKey(),
            String.join("; ", clashes));
      } else {
        state.errors = state.candidateErrors;
        if (state.candidateErrors.isEmpty()) {
          state.good = state.candidatePolicies;
        }
      }
      // The first file in path order that gives a policy owns it.
      for (MeshPassthroughPolicy p : state.good) {
        if (owners.putIfAbsent(PassthroughControlPlane.PolicyId.of(p), e.getKey()) == null) {
          wanted.put(PassthroughControlPlane.PolicyId.of(p), p);
        }
      }
    }
    for (MeshPassthroughPolicy held : plane.policies()) {
      if (!wanted.containsKey(PassthroughControlPlane.PolicyId.of(held))) {
        update.removePolicy(held.metadata().mesh(), held.metadata().name());
      }
    }
    wanted.values().forEach(update::putPolicy);
  }

  private void readPolicyFile(Path file, FileState state, PassthroughPipeline pipeline) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<MeshPassthroughPolicy> good = new ArrayList<>();
    ParseResult parsed = parser.parse(Objects.requireNonNull(state.text), file.toString());
    parsed.problems().forEach(p -> errors.add(p.toString()));
    parsed.notes().forEach((ParseProblem p) -> warnings.add(p.toString()));
    if (errors.isEmpty()) {
      PassthroughPipeline.Policies policies = pipeline.validate(parsed.documents());
      for (PassthroughPipeline.Policies.Report report : policies.reports()) {
        PolicyDocument document = report.document();
        for (Violation v : report.violations()) {
          String line =
              document.locationOf(v.path())
                  + ": "
                  + v.path()
                  + ": "
                  + v.message()
                  + " ["
                  + v.ruleId()
                  + "]";
          (v.severity() == Severity.ERROR ? errors : warnings).add(line);
        }
        report.policy().ifPresent(good::add);
      }
    }
    state.candidateErrors = List.copyOf(errors);
    state.errors = List.copyOf(errors);
    state.warnings = List.copyOf(warnings);
    state.candidatePolicies = errors.isEmpty() ? List.copyOf(good) : List.of();
    if (!errors.isEmpty()) {
      LOG.warn(
          "policy file {} is invalid, its last good policies stay in force: {}",
          file,
          String.join("; ", errors));
    }
  }

  private void readProxies(PassthroughControlPlane.Update update) {
    // Each proxy name and the first file in path order that gives it: the proxies to serve.
    Map<String, Path> owners = new TreeMap<>();
    for (Map.Entry<Path, FileState> e : proxyFiles.entrySet()) {
      Path file = e.getKey();
      FileState state = e.getValue();
      if (state.dirty) {
        state.dirty = false;
        try {
          state.candidateProxy =
              ProxyContext.parse(Objects.requireNonNull(state.text), file.toString());
          state.candidateErrors = List.of();
        } catch (IllegalArgumentException ex) {
          state.candidateErrors = List.of(String.valueOf(ex.getMessage()));
          LOG.warn(
              "proxy file {} is invalid, the proxy keeps its last good snapshot: {}",
              file,
              ex.getMessage());
        }
        state.errors = state.candidateErrors;
      }
      ProxyContext candidate = state.candidateProxy;
      if (candidate != null && state.candidateErrors.isEmpty()) {
        String key = candidate.selection().proxy().name();
        Path owner = owners.get(key);
        if (owner != null) {
          state.errors = List.of(file + ": proxy " + key + " is already defined in " + owner);
        } else {
          state.goodProxy = candidate;
          state.errors = List.of();
        }
      }
      if (state.goodProxy != null) {
        owners.putIfAbsent(state.goodProxy.selection().proxy().name(), file);
      }
    }
    for (String held : heldProxies) {
      if (!owners.containsKey(held)) {
        update.removeProxy(held);
      }
    }
    owners.forEach(
        (key, file) ->
            update.putProxy(
                key,
                Objects.requireNonNull(Objects.requireNonNull(proxyFiles.get(file)).goodProxy),
                Optional.of(file.toString())));
    heldProxies = new TreeSet<>(owners.keySet());
  }

  private static boolean hidden(Path root, Path path) {
    for (Path part : root.relativize(path)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean readableName(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static Optional<String> stamp(Path file) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return java.util.HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * What one reload found and did.
   *
   * @param changedFiles the files added, changed or deleted since the last reload, in path order
   * @param rejected the changed files that were rejected, with their problems
   * @param update what the control plane did
   */
  public record Reload(List<Path> changedFiles, List<FileReport> rejected, UpdateReport update) {
    /**
     * Copies the lists.
     *
     * @param changedFiles the changed files; copied; not null
     * @param rejected the rejected changed files; copied; not null
     * @param update what the control plane did, not null
     */
    public Reload {
      changedFiles = List.copyOf(changedFiles);
      rejected = List.copyOf(rejected);
      Objects.requireNonNull(update, "update");
    }
  }

  /**
   * One file's state.
   *
   * @param path the file
   * @param kind a policy file or a proxy file
   * @param errors why its current content is rejected (its last good content stays in force); empty
   *     when it is applied
   * @param warnings what its current content was noted for
   */
  public record FileReport(Path path, Kind kind, List<String> errors, List<String> warnings) {
    /**
     * Copies the lists.
     *
     * @param path the file, not null
     * @param kind the kind, not null
     * @param errors why it is rejected; copied; not null
     * @param warnings what it was noted for; copied; not null
     */
    public FileReport {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    /** What a file holds. */
    public enum Kind {
      /** Policy documents. */
      POLICY,
      /** One proxy. */
      PROXY
    }
  }

  private static final class FileState {
    @Nullable String stamp;
    @Nullable String hash;
    @Nullable String text;
    boolean dirty;
    List<String> errors = List.of();
    List<String> warnings = List.of();
    List<String> candidateErrors = List.of();
    List<MeshPassthroughPolicy> candidatePolicies = List.of();
    List<MeshPassthroughPolicy> good = List.of();
    @Nullable ProxyContext candidateProxy;
    @Nullable ProxyContext goodProxy;

    FileReport report(Path path, FileReport.Kind kind) {
      return new FileReport(path, kind, errors, warnings);
    }
  }
}
