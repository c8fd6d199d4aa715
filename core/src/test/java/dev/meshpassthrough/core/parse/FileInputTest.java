package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileInputTest {
  @TempDir Path root;

  @Test
  void file_isReadWithItsPathAsSource() throws IOException {
    Path file =
        write(
            "policy.yaml",
            "type: MeshPassthrough\nname: a\nspec:\n  default:\n    passthroughMode: [x]\n");

    ParseResult result = Parsing.PARSER.parse(file);

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location().source()).isEqualTo(file.toString());
              assertThat(problem.location().line()).isEqualTo(5);
            });
  }

  @Test
  void relativePath_isKeptAsGivenInLocations() throws IOException {
    write("examples/x.yaml", "type: MeshPassthrough\nname: x\n");
    Path relative = Path.of("").toAbsolutePath().relativize(root.resolve("examples/x.yaml"));

    PolicyDocument document = Parsing.PARSER.parse(relative).documents().get(0);

    assertThat(document.location().source()).isEqualTo(relative.toString());
  }

  @Test
  void directory_isReadRecursivelyInPathOrder_onlyPolicyFiles() throws IOException {
    write("b/d.json", "{\"type\": \"MeshPassthrough\", \"name\": \"d\"}");
    write("b/c.yml", "type: MeshPassthrough\nname: c\n");
    write("a.yaml", "type: MeshPassthrough\nname: a\n---\ntype: MeshPassthrough\nname: a2\n");
    write("notes.txt", "not: a policy\n");
    write("e/F.YAML", "type: MeshPassthrough\nname: f\n");

    ParseResult result = Parsing.PARSER.parse(root);

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents())
        .extracting(d -> d.name().orElseThrow())
        .containsExactly("a", "a2", "c", "d", "f");
    assertThat(result.documents().get(2).location().source())
        .isEqualTo(root.resolve("b/c.yml").toString());
  }

  @Test
  void problemsOfSeveralFiles_eachNameTheirFile() throws IOException {
    Path bad = write("1-bad.yaml", "type: MeshPassthrough\nname: [x\n");
    write("2-good.yaml", "type: MeshPassthrough\nname: good\n");
    Path empty = write("3-empty.yaml", "");

    ParseResult result = Parsing.PARSER.parse(root);

    assertThat(result.documents()).extracting(d -> d.name().orElseThrow()).containsExactly("good");
    assertThat(result.problems())
        .extracting(p -> p.location().source())
        .containsExactly(bad.toString(), empty.toString());
  }

  @Test
  void missingPath_isAProblemNotAnException() {
    Path missing = root.resolve("nope.yaml");

    ParseProblem problem = Parsing.onlyProblem(Parsing.PARSER.parse(missing));

    assertThat(problem.location().source()).isEqualTo(missing.toString());
    assertThat(problem.message()).isEqualTo("cannot read file: no such file or directory");
  }

  @Test
  void danglingLinkInADirectory_isAProblemAndTheOtherFilesAreRead() throws IOException {
    write("a.yaml", "type: MeshPassthrough\nname: a\n");
    Path link = Files.createSymbolicLink(root.resolve("b.yaml"), root.resolve("gone.yaml"));

    ParseResult result = Parsing.PARSER.parse(root);

    assertThat(result.documents()).hasSize(1);
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.location().source()).isEqualTo(link.toString());
              assertThat(problem.message()).startsWith("cannot read");
            });
  }

  @Test
  void directoryWithoutPolicyFiles_isAProblem() throws IOException {
    write("readme.md", "# nothing here\n");

    ParseProblem problem = Parsing.onlyProblem(Parsing.PARSER.parse(root));

    assertThat(problem.message()).isEqualTo("no .yaml, .yml or .json file found in this directory");
  }

  @Test
  void fileOverTheSizeLimit_isAProblemNamingItsSize() throws IOException {
    Path big = write("big.yaml", "# " + "x".repeat(2000) + "\n");

    ParseResult result = PolicyParser.create(new ParseLimits(1000, 64, 50, 10, 100)).parse(big);

    assertThat(Parsing.onlyProblem(result).message())
        .isEqualTo("input is 2003 bytes, larger than the limit maxInputBytes=1000 bytes");
  }

  @Test
  void invalidUtf8File_isAProblemNamingTheFile() throws IOException {
    Path file = root.resolve("latin1.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});

    ParseProblem problem = Parsing.onlyProblem(Parsing.PARSER.parse(file));

    assertThat(problem.location()).hasToString(file + ":1:7");
    assertThat(problem.message()).startsWith("input is not valid UTF-8");
  }

  private Path write(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
