package vecgrad.autodiff;

import vecgrad.tensor.Tensor;

/**
 * One recorded op: its signature ({@code "matmul(a, b)"}: the op's name and its arguments' names,
 * which the backward rule's text refers to), the rule as text (for the graph export), its inputs in
 * order, its output, and the backward closure. Immutable; one node may be recorded by several tapes.
 */
record Node(String signature, String rule, Tensor[] inputs, Tensor output, Backward backward) {

    /** The op's name, e.g. {@code matmul}. */
    String op() {
        int p = signature.indexOf('(');
        return p < 0 ? signature : signature.substring(0, p);
    }

    /** The name of input {@code i}, from the signature ({@code "x"} when it names none). */
    String argName(int i) {
        int open = signature.indexOf('(');
        int close = signature.lastIndexOf(')');
        if (open >= 0 && close > open) {
            String[] names = signature.substring(open + 1, close).split(",");
            if (i < names.length && !names[i].isBlank()) {
                return names[i].trim();
            }
        }
        return inputs.length == 1 ? "x" : "x" + i;
    }
}
