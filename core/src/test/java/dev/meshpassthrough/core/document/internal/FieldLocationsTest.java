package dev.meshpassthrough.core.document.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.internal.FieldLocations.ListLocations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldLocationsTest {
  private static final String SOURCE = "p.yaml";
  private static final FieldPath LIST = FieldPath.of("spec", "default", "appendMatch");
  private static final List<String> NAMES = List.of("type", "value", "port", "protocol");

  /** Three single fields and a list of 20 entries, some fields left out; also as a HashMap. */
  private final Map<FieldPath, SourceLocation> expected = new HashMap<>();

  private FieldLocations built() {
    FieldLocations.Builder builder = FieldLocations.builder();
    single(builder, FieldPath.of("kind"), 2, 1);
    single(builder, FieldPath.of("spec"), 5, 1);
    single(builder, LIST, 8, 5);
    ListLocations list = new ListLocations(LIST, NAMES, SOURCE);
    for (int i = 0; i < 20; i++) {
      int line = 9 + 4 * i;
      assertThat(list.item(at(line, 9))).isEqualTo(i);
      expected.put(LIST.index(i), at(line, 9));
      for (int name = 0; name < NAMES.size(); name++) {
        if ((i + name) % 3 != 0) { // leave some fields unwritten
          list.field(i, name, at(line + name, 11));
          expected.put(LIST.index(i).field(NAMES.get(name)), at(line + name, 11));
        }
      }
    }
    builder.putList(list);
    return builder.build();
  }

  private void single(FieldLocations.Builder builder, FieldPath path, int line, int column) {
    builder.put(path, at(line, column));
    expected.put(path, at(line, column));
  }

  private static SourceLocation at(int line, int column) {
    return new SourceLocation(SOURCE, line, column);
  }

  @Test
  void builtMap_equalsTheHashMapOfTheSameLocations() {
    FieldLocations locations = built();

    assertThat(locations).isEqualTo(expected).hasSameHashCodeAs(expected);
    assertThat(expected).isEqualTo(locations);
    assertThat(locations.size()).isEqualTo(expected.size());
    assertThat(new HashMap<>(locations)).isEqualTo(expected);
    expected.forEach((path, at) -> assertThat(locations.get(path)).as("%s", path).isEqualTo(at));
  }

  @Test
  void pathsNotWritten_haveNoLocation() {
    FieldLocations locations = built();

    assertThat(locations.get(LIST.index(20))).isNull();
    assertThat(locations.get(LIST.index(0).field("type"))).as("left out").isNull();
    assertThat(locations.get(LIST.index(1).field("other"))).isNull();
    assertThat(locations.get(LIST.field("type"))).isNull();
    assertThat(locations.get(FieldPath.root())).isNull();
    assertThat(((Map<?, ?>) locations).get("spec")).as("not a path").isNull();
    assertThat(locations.containsKey(LIST.index(3))).isTrue();
    assertThat(locations.containsKey(LIST.index(3).field("nested").field("type"))).isFalse();
  }

  @Test
  void iteration_givesSingleFieldsThenTheListInOrder() {
    List<FieldPath> order = new ArrayList<>(built().keySet());

    assertThat(order.subList(0, 3))
        .containsExactlyInAnyOrder(FieldPath.of("kind"), FieldPath.of("spec"), LIST);
    assertThat(order.subList(3, 6))
        .containsExactly(LIST.index(0), LIST.index(0).field("value"), LIST.index(0).field("port"));
    assertThat(order).hasSize(expected.size()).doesNotHaveDuplicates();
  }

  @Test
  void mistakes_areRefused() {
    FieldLocations.Builder builder = FieldLocations.builder();
    ListLocations list = new ListLocations(LIST, NAMES, SOURCE);
    list.item(at(1, 1));
    assertThatThrownBy(() -> list.item(new SourceLocation("other.yaml", 2, 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> list.field(1, 0, at(2, 1)))
        .isInstanceOf(IndexOutOfBoundsException.class);
    builder.putList(list);

    assertThatThrownBy(() -> list.item(at(3, 1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.put(LIST.index(0), at(1, 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.put(LIST.index(0).field("port"), at(1, 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.putList(new ListLocations(LIST, NAMES, SOURCE)))
        .isInstanceOf(IllegalStateException.class);
    builder.build();
    assertThatThrownBy(() -> builder.put(FieldPath.of("kind"), at(1, 1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
