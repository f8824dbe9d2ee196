package vecgrad.autodiff;

import vecgrad.tensor.Tensor;

/**
 * The normalisation ops behind {@code BatchNormalization} and {@code LayerNormalization}: a tensor
 * standardised to mean 0 and variance 1 over a group of its elements, with the group's own
 * statistics, differentiated through those statistics (a fused backward).
 *
 * <p>Both take {@code x (batch, ..., features)}, of rank 2 or more, seen as {@code (n, c)} with
 * {@code c} the last axis and {@code n} the product of the others.
 */
public final class NormalizationOps {

    /*
     * For a group of N values x_k with mean μ = Σx/N, biased variance σ² = Σ(x − μ)²/N and
     * r = 1/√(σ² + ε), the output is x̂_k = (x_k − μ)·r. Its backward, with the dependence of μ and
     * σ² on every x_k included (Ioffe & Szegedy 2015, section 3; the same algebra for layer norm):
     *
     *     dx_k = r · (g_k − mean(g) − x̂_k · mean(g ⊙ x̂))
     *
     * The first term alone is the gradient with frozen statistics; mean(g) is the mean's path and
     * x̂·mean(g ⊙ x̂) the variance's. A primitive rather than a composition of mean/sub/rsqrt/div
     * because this is the numerically quiet form (statistics and sums in double, rounded once) and
     * the graph stays one node per normalisation. Keras computes the same function
     * (keras/src/ops/nn.py batch_normalization, with moments from keras/src/ops/nn.py moments: the
     * biased variance), then scales and shifts; the layers do that with mul and add.
     */

    private NormalizationOps() {
    }

    /**
     * Standardises each feature (the last axis) over all other axes, as batch normalisation does in
     * training: {@code y[..., j] = (x[..., j] − μ_j) / √(σ²_j + ε)}, with {@code μ_j} and the biased
     * {@code σ²_j} the mean and variance of feature {@code j} over the batch (and the spatial axes).
     * Derivative: per feature, {@code dx = r ⊙ (g − mean(g) − y ⊙ mean(g ⊙ y))} with
     * {@code r = 1/√(σ² + ε)}.
     *
     * @param x       {@code (batch, ..., c)}, rank 2 or more, at least one sample
     * @param epsilon added to the variance, positive and finite
     * @return {@code y}, of {@code x}'s shape
     */
    public static Tensor standardizeFeatures(Tensor x, float epsilon) {
        return standardize("standardizeFeatures", x, epsilon, true);
    }

    /**
     * Standardises each sample over its last axis, as layer normalisation does:
     * {@code y[i, ..., j] = (x[i, ..., j] − μ) / √(σ² + ε)}, with {@code μ} and the biased {@code σ²}
     * taken over {@code j} for each position {@code (i, ...)}.
     * Derivative: per position, {@code dx = r ⊙ (g − mean(g) − y ⊙ mean(g ⊙ y))} with
     * {@code r = 1/√(σ² + ε)}, the means taken over the last axis.
     *
     * @param x       {@code (batch, ..., c)}, rank 2 or more
     * @param epsilon added to the variance, positive and finite
     * @return {@code y}, of {@code x}'s shape
     */
    public static Tensor standardizeSamples(Tensor x, float epsilon) {
        return standardize("standardizeSamples", x, epsilon, false);
    }

    /**
     * The shared body: {@code x} seen as {@code (n, c)}; groups are the columns when {@code perFeature}
     * (c groups of n elements at stride c), else the rows (n groups of c contiguous elements).
     */
    private static Tensor standardize(String op, Tensor x, float epsilon, boolean perFeature) {
        if (x == null) {
            throw new NullPointerException(op + ": expected a tensor for 'x', got null");
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected x of rank 2 or more (batch, ..., features), got shape "
                    + x.shapeString());
        }
        if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException(op + ": expected a positive finite epsilon, got " + epsilon);
        }
        int c = x.dim(x.rank() - 1);
        int n = c == 0 ? 0 : x.size() / c;
        int groups = perFeature ? c : n;
        int groupSize = perFeature ? n : c;
        if (groupSize == 0 || groups == 0) {
            throw new IllegalArgumentException(op + ": expected at least one element per group (no axis of size 0), got"
                    + " shape " + x.shapeString());
        }
        int start = perFeature ? 1 : c;    // first element of group q: q · start
        int step = perFeature ? c : 1;     // distance between a group's elements
        float[] xd = x.data();
        Tensor y = Buffers.like(x);
        float[] yd = y.data();
        // μ and r per group, kept in double: the backward recomputes x̂ from them in double rather than
        // reading the float y, since g − mean(g) − x̂·mean(g ⊙ x̂) cancels to a small fraction of g when a
        // group is small (2 elements: x̂ = ±1 and the exact gradient is of the order of ε).
        double[] means = new double[groups];
        double[] rd = new double[groups];
        for (int q = 0; q < groups; q++) {
            int base = q * start;
            double sum = 0;
            for (int k = 0; k < groupSize; k++) {
                sum += xd[base + k * step];
            }
            double mean = sum / groupSize;
            double squares = 0;
            for (int k = 0; k < groupSize; k++) {
                double d = xd[base + k * step] - mean;
                squares += d * d;
            }
            double r = 1 / Math.sqrt(squares / groupSize + epsilon);
            means[q] = mean;
            rd[q] = r;
            for (int k = 0; k < groupSize; k++) {
                int e = base + k * step;
                yd[e] = (float) ((xd[e] - mean) * r);
            }
        }
        String axes = perFeature ? "all axes but the last" : "the last axis";
        return GradientTape.record(op + "(x)", "dx = r ⊙ (g − mean(g) − y ⊙ mean(g ⊙ y)), means over " + axes, y,
                (g, need) -> {
                    Tensor dx = Buffers.like(x);
                    float[] gd = g.data();
                    float[] d = dx.data();
                    for (int q = 0; q < groups; q++) {
                        int base = q * start;
                        double mean = means[q];
                        double r = rd[q];
                        double gSum = 0;
                        double gySum = 0;
                        for (int k = 0; k < groupSize; k++) {
                            int e = base + k * step;
                            gSum += gd[e];
                            gySum += gd[e] * ((xd[e] - mean) * r);
                        }
                        double gMean = gSum / groupSize;
                        double gyMean = gySum / groupSize;
                        for (int k = 0; k < groupSize; k++) {
                            int e = base + k * step;
                            d[e] = (float) (r * (gd[e] - gMean - (xd[e] - mean) * r * gyMean));
                        }
                    }
                    return new Tensor[] {dx};
                }, x);
    }
}
