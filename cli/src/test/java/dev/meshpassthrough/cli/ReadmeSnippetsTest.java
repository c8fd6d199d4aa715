package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code java} block of README.md compiles against the library and runs, from the repository
 * root, in a JVM of its own: the README cannot show an API that does not exist or an example that
 * fails. A block is the body of a {@code main} method after its imports; a block with {@code @Test}
 * methods is a class body whose test methods are called in order. Blocks that start a real Envoy
 * honour {@code -DskipRealEnvoy=true} as every real-Envoy test does.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> IMPLIED_IMPORTS =
      List.of(
          "import java.io.*;",
          "import java.nio.file.*;",
          "import java.util.*;",
          "import static org.assertj.core.api.Assertions.assertThat;",
          "import org.junit.jupiter.api.Test;");

  /**
   * One java block of the README.
   *
   * @param line the line of its opening fence
   * @param text the block
   */
  record Block(int line, String text) {}

  static List<Block> blocks() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      blocks.add(new Block(start + 1, text.toString()));
    }
    return blocks;
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockOfTheReadme_compilesAndRuns() throws IOException {
    List<Block> blocks = blocks();
    assertThat(blocks).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(6);
    return blocks.stream()
        .map(
            block ->
                DynamicTest.dynamicTest("README.md:" + block.line(), () -> compileAndRun(block)));
  }

  private static void compileAndRun(Block block) throws Exception {
    if (block.text().contains("RealEnvoy.start()") && Boolean.getBoolean("skipRealEnvoy")) {
      System.err.println(
          "WARNING: README.md:"
              + block.line()
              + " starts a real Envoy and is not run: -DskipRealEnvoy=true");
      return;
    }
    String className = "ReadmeLine" + block.line();
    Path dir = Files.createTempDirectory("readme-snippet");
    try {
      Path source = dir.resolve(className + ".java");
      Files.writeString(source, source(block, className), StandardCharsets.UTF_8);
      String classPath = System.getProperty("java.class.path");
      JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
      StringWriter diagnostics = new StringWriter();
      boolean compiled =
          compiler
              .getTask(
                  diagnostics,
                  null,
                  null,
                  List.of(
                      "-classpath", classPath, "-d", dir.toString(), "-proc:none", "-Xlint:none"),
                  null,
                  compiler
                      .getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)
                      .getJavaFileObjects(source.toFile()))
              .call();
      assertThat(compiled)
          .as(
              "README.md:%d does not compile:%n%s%n%s",
              block.line(), diagnostics, Files.readString(source))
          .isTrue();

      Path output = dir.resolve("output.txt");
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  dir + File.pathSeparator + classPath,
                  className)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean finished = process.waitFor(180, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(finished).as("README.md:%d runs within 180 s", block.line()).isTrue();
      assertThat(process.exitValue())
          .as("README.md:%d exits 0; it printed:%n%s", block.line(), Files.readString(output))
          .isZero();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * The block as a class: its imports first, then its statements in {@code main}, or its methods
   * beside it.
   */
  static String source(Block block, String className) {
    StringBuilder imports = new StringBuilder();
    IMPLIED_IMPORTS.forEach(i -> imports.append(i).append('\n'));
    StringBuilder body = new StringBuilder();
    for (String line : block.text().split("\n", -1)) {
      if (line.startsWith("import ")) {
        imports.append(line).append('\n');
      } else {
        body.append(line).append('\n');
      }
    }
    if (block.text().contains("@Test")) {
      return imports
          + "public class "
          + className
          + " {\n"
          + body
          + """
            public static void main(String[] args) throws Throwable {
              %s instance = new %s();
              for (java.lang.reflect.Method m : %s.class.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                  m.setAccessible(true);
                  try {
                    m.invoke(instance);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                }
              }
            }
          }
          """
              .formatted(className, className, className);
    }
    return imports
        + "public class "
        + className
        + " {\n  public static void main(String[] args) throws Exception {\n"
        + body
        + "  }\n}\n";
  }
}
