/**
 * The side-by-side comparison's runner: {@link vecgrad.bench.CompareRun} trains the comparison's
 * networks with vecgrad for {@code bench/compare.sh}. Not part of the library.
 */
package vecgrad.bench;
