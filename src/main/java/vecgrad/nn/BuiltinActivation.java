package vecgrad.nn;

import java.util.ArrayList;
import java.util.List;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/** The built-in {@link Activation}s; see there. */
enum BuiltinActivation implements Activation {
    RELU("relu") {
        @Override
        public Tensor apply(Tensor z) {
            return Ops.relu(z);
        }
    },
    SIGMOID("sigmoid") {
        @Override
        public Tensor apply(Tensor z) {
            return SigmoidLogits.remember(Ops.sigmoid(z), z);
        }
    },
    TANH("tanh") {
        @Override
        public Tensor apply(Tensor z) {
            return Ops.tanh(z);
        }
    },
    SOFTMAX("softmax") {
        @Override
        public Tensor apply(Tensor z) {
            return SoftmaxLogits.remember(Ops.softmax(z), z);
        }
    },
    LINEAR("linear") {
        @Override
        public Tensor apply(Tensor z) {
            return z;
        }
    };

    private final String kerasName;

    BuiltinActivation(String kerasName) {
        this.kerasName = kerasName;
    }

    @Override
    public String kerasName() {
        return kerasName;
    }

    @Override
    public String toString() {
        return kerasName;
    }

    static Activation named(String kerasName) {
        List<String> known = new ArrayList<>();
        for (BuiltinActivation a : values()) {
            if (a.kerasName.equals(kerasName)) {
                return a;
            }
            known.add(a.kerasName);
        }
        throw new IllegalArgumentException("unknown activation '" + kerasName + "': expected one of "
                + String.join(", ", known));
    }
}
