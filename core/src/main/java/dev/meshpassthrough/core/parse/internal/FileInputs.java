package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseLimits;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file, or every {@code .yaml}, {@code .yml} and {@code .json} file below a directory in
 * path order. Symbolic links to directories are not followed (no cycles); a path that cannot be
 * read is a problem at that path. A regular file's size is checked before any of it is read.
 *
 * <p>A directory walk takes regular files (and links to them) only: anything else of a policy
 * file's name is noted as skipped and never opened, since opening a named pipe blocks until a
 * writer comes. A path named directly is read whatever it is, as a stream within the byte limit.
 */
final class FileInputs {
  private final TextParser texts;
  private final ParseLimits limits;

  FileInputs(TextParser texts, ParseLimits limits) {
    this.texts = texts;
    this.limits = limits;
  }

  ParseResult parse(Path path) {
    return Files.isDirectory(path) ? directory(path) : file(path, TextParser.Origin.NAMED);
  }

  private ParseResult file(Path file, TextParser.Origin origin) {
    String source = file.toString();
    try {
      // A regular file is measured first; anything else named on purpose (a named pipe, a device,
      // /dev/stdin) is read as a stream, no further than the limit, like standard input.
      if (Files.isRegularFile(file)) {
        long size = Files.size(file);
        if (size > limits.maxInputBytes()) {
          return problem(source, LimitMessages.inputBytes(size, limits.maxInputBytes()));
        }
      }
      byte[] bytes;
      try (InputStream input = Files.newInputStream(file)) {
        bytes = InputText.read(input, source, limits.maxInputBytes());
      }
      return texts.parse(InputText.decode(bytes, source), source, origin);
    } catch (IOException e) {
      return problem(source, "cannot read file: " + reason(e));
    } catch (StopInput stop) {
      return new ParseResult(List.of(), List.of(stop.problem()));
    }
  }

  private ParseResult directory(Path directory) {
    // Path order, whatever order the file system lists entries in.
    Map<Path, Found> found = new TreeMap<>();
    try {
      Files.walkFileTree(
          directory,
          EnumSet.noneOf(FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (isPolicyFile(file)) {
                found.put(file, classify(file, attributes));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              found.put(file, Found.failed("cannot read: " + reason(e)));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e) {
              if (e != null) {
                found.put(dir, Found.failed("cannot list directory: " + reason(e)));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      found.put(directory, Found.failed("cannot list directory: " + reason(e)));
    }
    List<PolicyDocument> documents = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    List<ParseProblem> notes = new ArrayList<>();
    found.forEach(
        (path, what) -> {
          switch (what.kind()) {
            case READ -> {
              ParseResult result = file(path, TextParser.Origin.IN_DIRECTORY);
              documents.addAll(result.documents());
              problems.addAll(result.problems());
              notes.addAll(result.notes());
            }
            case SKIPPED -> notes.add(at(path.toString(), what.message()));
            case FAILED -> problems.add(at(path.toString(), what.message()));
          }
        });
    if (documents.isEmpty() && problems.isEmpty()) {
      boolean read = found.values().stream().anyMatch(what -> what.kind() == Found.Kind.READ);
      // Files were read when each held only documents of other kinds, skipped with notes.
      problems.add(
          at(
              directory.toString(),
              read
                  ? "no MeshPassthrough document found in this directory ("
                      + notes.size()
                      + " skipped)"
                  : "no .yaml, .yml or .json file found in this directory"
                      + (notes.isEmpty()
                          ? ""
                          : " (" + notes.size() + " skipped: not regular files)")));
    }
    return new ParseResult(documents, problems, notes);
  }

  /**
   * Whether a directory entry is read: only regular files, and links to them, are. Anything else is
   * never opened: opening a named pipe waits for a writer, forever if none comes.
   */
  private static Found classify(Path file, BasicFileAttributes entry) {
    BasicFileAttributes target = entry;
    if (entry.isSymbolicLink()) {
      try {
        target = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (IOException e) {
        return Found.failed("cannot read: " + reason(e));
      }
    }
    if (target.isRegularFile()) {
      return Found.READ_IT;
    }
    String what =
        target.isDirectory()
            ? "a link to a directory, which is not followed"
            : target.isOther()
                ? "not a regular file (a named pipe, socket or device)"
                : "not a regular file";
    return Found.skipped("skipped: " + what);
  }

  /** What the walk found at one path. */
  private record Found(Kind kind, String message) {
    static final Found READ_IT = new Found(Kind.READ, "");

    enum Kind {
      READ,
      SKIPPED,
      FAILED
    }

    static Found skipped(String message) {
      return new Found(Kind.SKIPPED, message);
    }

    static Found failed(String message) {
      return new Found(Kind.FAILED, message);
    }
  }

  private static boolean isPolicyFile(Path file) {
    Path name = file.getFileName();
    String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
  }

  /** Why an I/O operation failed, in words, without the path (the location names it). */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static ParseResult problem(String source, String message) {
    return new ParseResult(List.of(), List.of(at(source, message)));
  }

  private static ParseProblem at(String source, String message) {
    return new ParseProblem(new SourceLocation(source, 1, 1), FieldPath.root(), message);
  }
}
