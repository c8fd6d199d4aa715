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
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file, or every {@code .yaml}, {@code .yml} and {@code .json} file below a directory in
 * path order. Symbolic links to directories are not followed (no cycles); a path that cannot be
 * read is a problem at that path. A file's size is checked before any of it is read.
 */
final class FileInputs {
  private final TextParser texts;
  private final ParseLimits limits;

  FileInputs(TextParser texts, ParseLimits limits) {
    this.texts = texts;
    this.limits = limits;
  }

  ParseResult parse(Path path) {
    return Files.isDirectory(path) ? directory(path) : file(path);
  }

  private ParseResult file(Path file) {
    String source = file.toString();
    try {
      long size = Files.size(file);
      if (size > limits.maxInputBytes()) {
        return problem(source, LimitMessages.inputBytes(size, limits.maxInputBytes()));
      }
      byte[] bytes;
      try (InputStream input = Files.newInputStream(file)) {
        bytes = InputText.read(input, source, limits.maxInputBytes());
      }
      return texts.parse(InputText.decode(bytes, source), source);
    } catch (IOException e) {
      return problem(source, "cannot read file: " + reason(e));
    } catch (StopInput stop) {
      return new ParseResult(List.of(), List.of(stop.problem()));
    }
  }

  private ParseResult directory(Path directory) {
    // Path order, whatever order the file system lists entries in; an empty value means "read it".
    Map<Path, Optional<String>> found = new TreeMap<>();
    try {
      Files.walkFileTree(directory, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (!attributes.isDirectory() && isPolicyFile(file)) {
                found.put(file, Optional.empty());
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              found.put(file, Optional.of("cannot read: " + reason(e)));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e) {
              if (e != null) {
                found.put(dir, Optional.of("cannot list directory: " + reason(e)));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      found.put(directory, Optional.of("cannot list directory: " + reason(e)));
    }
    if (found.isEmpty()) {
      return problem(directory.toString(), "no .yaml, .yml or .json file found in this directory");
    }
    List<PolicyDocument> documents = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    found.forEach((path, failure) -> {
      ParseResult result = failure.map(message -> problem(path.toString(), message)).orElseGet(() -> file(path));
      documents.addAll(result.documents());
      problems.addAll(result.problems());
    });
    return new ParseResult(documents, problems);
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
    return new ParseResult(List.of(),
        List.of(new ParseProblem(new SourceLocation(source, 1, 1), FieldPath.root(), message)));
  }
}
