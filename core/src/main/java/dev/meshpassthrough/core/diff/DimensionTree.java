package dev.meshpassthrough.core.diff;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One dimension of the connection space, partitioned into a tree of nested patterns: a node is its
 * pattern minus its children's patterns (its atom), which may be empty (the children cover it) or
 * absent (a node that only groups its children). Children's patterns are disjoint.
 *
 * @param <L> what a node is labelled with
 */
final class DimensionTree<L> {
  private final List<L> labels = new ArrayList<>();
  private final List<Integer> parents = new ArrayList<>();
  private final List<List<Integer>> children = new ArrayList<>();
  private final BitSet atoms = new BitSet();

  /**
   * Adds a node; children are added in the order they are to be printed.
   *
   * @param parent the parent node, or -1 for the root (added first)
   * @param label the node's label
   * @param atom whether the node's own region (pattern minus children) can hold a connection
   * @return the new node's index
   */
  int add(int parent, L label, boolean atom) {
    int index = labels.size();
    labels.add(label);
    parents.add(parent);
    children.add(new ArrayList<>());
    if (parent >= 0) {
      children.get(parent).add(index);
    }
    atoms.set(index, atom);
    return index;
  }

  /** Marks, after its children were added, whether a node's own region can hold a connection. */
  void setAtom(int node, boolean atom) {
    atoms.set(node, atom);
  }

  int size() {
    return labels.size();
  }

  L label(int node) {
    return labels.get(node);
  }

  List<Integer> children(int node) {
    return children.get(node);
  }

  /** The nodes whose own region can hold a connection, ascending. */
  BitSet atoms() {
    return (BitSet) atoms.clone();
  }

  /** The node and every node below it. */
  BitSet subtree(int node) {
    BitSet out = new BitSet();
    addSubtree(node, out);
    return out;
  }

  private void addSubtree(int node, BitSet out) {
    out.set(node);
    for (int child : children.get(node)) {
      addSubtree(child, out);
    }
  }

  /**
   * The atoms of {@code selected} as few "pattern minus whole sub-patterns" values as the tree
   * allows, in tree order: their regions are disjoint and their union is exactly the selected
   * atoms' regions.
   */
  List<Value> decompose(BitSet selected) {
    List<Value> out = new ArrayList<>();
    decomposeBelow(0, selected, out, true);
    return out;
  }

  private void decomposeBelow(int node, BitSet selected, List<Value> out, boolean self) {
    if (self && included(node, selected)) {
      List<Integer> exceptions = new ArrayList<>();
      List<Value> inside = new ArrayList<>();
      collectExceptions(node, selected, exceptions, inside);
      out.add(new Value(node, List.copyOf(exceptions)));
      out.addAll(inside);
      return;
    }
    for (int child : children.get(node)) {
      decomposeBelow(child, selected, out, true);
    }
  }

  private void collectExceptions(
      int node, BitSet selected, List<Integer> exceptions, List<Value> out) {
    for (int child : children.get(node)) {
      if (included(child, selected)) {
        collectExceptions(child, selected, exceptions, out);
      } else {
        exceptions.add(child);
        decomposeBelow(child, selected, out, false);
      }
    }
  }

  /** A node with an atom is included when selected; one without, when all below it is. */
  private boolean included(int node, BitSet selected) {
    return atoms.get(node) ? selected.get(node) : full(node, selected);
  }

  private boolean full(int node, BitSet selected) {
    if (atoms.get(node) && !selected.get(node)) {
      return false;
    }
    for (int child : children.get(node)) {
      if (!full(child, selected)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A node's pattern minus the whole patterns of some nodes below it.
   *
   * @param node the node
   * @param exceptions nodes below it, none below another
   */
  record Value(int node, List<Integer> exceptions) {}
}
