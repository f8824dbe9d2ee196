package vecgrad.app;

import java.util.ArrayList;
import java.util.List;

/** The three ways of training the same network that the experiment compares. */
enum Method {
    /** A custom loop: forward pass on a GradientTape, tape gradients, an Adam step (the report's tf.GradientTape). */
    TAPE("tape", "custom loop: GradientTape gradients, Adam step"),
    /** The built-in loop, Sequential.fit (the report's model.fit()). */
    FIT("fit", "Sequential.fit"),
    /** The report's hand-derived backpropagation equations (ManualGradients), no tape, and Adam. */
    MANUAL("manual", "hand-derived gradients (ManualGradients), Adam step");

    private final String id;
    private final String description;

    Method(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name on the command line and in the report: {@code tape}, {@code fit}, {@code manual}. */
    String id() {
        return id;
    }

    String description() {
        return description;
    }

    /** Every method's name, in order. */
    static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Method m : values()) {
            ids.add(m.id);
        }
        return ids;
    }

    /** The method named {@code id}, one of {@link #ids()}. */
    static Method of(String id) {
        for (Method m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "': expected one of " + ids());
    }
}
