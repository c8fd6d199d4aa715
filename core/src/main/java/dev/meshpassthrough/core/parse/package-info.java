/**
 * Reading MeshPassthrough documents from YAML or JSON text, files, directories and streams, with
 * file, line, column and field path on every problem. Reading never resolves DNS and never throws
 * for bad input: problems come back as data.
 */
@NullMarked
package dev.meshpassthrough.core.parse;

import org.jspecify.annotations.NullMarked;
