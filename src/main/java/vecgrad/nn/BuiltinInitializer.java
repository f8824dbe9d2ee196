package vecgrad.nn;

import java.util.Objects;
import java.util.Random;
import vecgrad.tensor.Tensor;

/** The built-in {@link Initializer}s; see there for their formulas. */
enum BuiltinInitializer implements Initializer {
    GLOROT_UNIFORM("glorot_uniform") {
        @Override
        Tensor draw(Random rng, int fanIn, int fanOut, int[] shape) {
            float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
            return uniform(rng, limit, shape);
        }
    },
    HE_NORMAL("he_normal") {
        @Override
        Tensor draw(Random rng, int fanIn, int fanOut, int[] shape) {
            double std = Math.sqrt(2.0 / fanIn) / 0.87962566103423978;
            Tensor t = Tensor.zeros(shape);
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                double z;
                do {
                    z = rng.nextGaussian();
                } while (Math.abs(z) > 2.0);
                d[i] = (float) (std * z);
            }
            return t;
        }
    },
    HE_UNIFORM("he_uniform") {
        @Override
        Tensor draw(Random rng, int fanIn, int fanOut, int[] shape) {
            return uniform(rng, (float) Math.sqrt(6.0 / fanIn), shape);
        }
    },
    ZEROS("zeros") {
        @Override
        Tensor draw(Random rng, int fanIn, int fanOut, int[] shape) {
            return Tensor.zeros(shape);
        }
    },
    ONES("ones") {
        @Override
        Tensor draw(Random rng, int fanIn, int fanOut, int[] shape) {
            return Tensor.ones(shape);
        }
    };

    private final String kerasName;

    BuiltinInitializer(String kerasName) {
        this.kerasName = kerasName;
    }

    abstract Tensor draw(Random rng, int fanIn, int fanOut, int[] shape);

    @Override
    public Tensor initialize(Random rng, int fanIn, int fanOut, int... shape) {
        Objects.requireNonNull(rng, "rng");
        Objects.requireNonNull(shape, "shape");
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException(kerasName + ": fanIn and fanOut must be >= 1, got fanIn=" + fanIn
                    + ", fanOut=" + fanOut);
        }
        return draw(rng, fanIn, fanOut, shape);
    }

    @Override
    public String toString() {
        return kerasName;
    }

    private static Tensor uniform(Random rng, float limit, int[] shape) {
        return Tensor.randomUniform(rng, -limit, limit, shape);
    }

    @Override
    public String kerasName() {
        return kerasName;
    }
}
