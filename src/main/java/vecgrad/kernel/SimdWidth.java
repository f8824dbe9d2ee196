package vecgrad.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width the SIMD kernels run at: one subclass per width, each holding its species in a
 * {@code static final} field.
 *
 * <p>The Vector API is compiled to SIMD instructions only where C2 sees the species as a constant.
 * An instance field is not a constant to C2, so the kernels call {@link #species()} instead: with
 * one subclass loaded (one width per JVM, the normal case) C2 inlines it by class-hierarchy analysis
 * and the species folds to a constant. A JVM that loads several widths (the parity tests) stays
 * correct, but its kernels may fall back to the slow, allocating form of the API.
 */
abstract class SimdWidth {

    private SimdWidth() {
    }

    /** The float species of this width. */
    abstract VectorSpecies<Float> species();

    /** The int species of this width (as many lanes as {@link #species()}). */
    abstract VectorSpecies<Integer> ints();

    /**
     * A byte species with as many lanes as {@link #species()}, or null at 128 bits, where that would
     * take 32-bit byte vectors, which the Vector API does not have.
     */
    abstract VectorSpecies<Byte> bytesPerLane();

    /**
     * The width for {@code bits} (0 = the CPU's preferred width, else 128, 256 or 512).
     *
     * @throws IllegalArgumentException for another value
     * @throws UnsupportedOperationException if the CPU's widest float vector is narrower
     */
    static SimdWidth of(int bits) {
        int widest = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits != 0 && bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width must be 0 (preferred), 128, 256 or 512 bits, got " + bits);
        }
        int chosen = bits == 0 ? widest : bits;
        if (chosen > widest) {
            throw new UnsupportedOperationException("this CPU's widest float vector is " + widest
                    + " bits, " + chosen + " were asked for");
        }
        switch (chosen) {
            case 128:
                return new Bits128();
            case 256:
                return new Bits256();
            case 512:
                return new Bits512();
            default:
                throw new UnsupportedOperationException("the SIMD kernels need 128-, 256- or 512-bit vectors;"
                        + " this CPU's preferred float vector is " + widest + " bits");
        }
    }

    private static final class Bits128 extends SimdWidth {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_128;
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_128;
        private static final VectorSpecies<Byte> BYTES = null;

        @Override
        VectorSpecies<Float> species() {
            return SPECIES;
        }

        @Override
        VectorSpecies<Integer> ints() {
            return INTS;
        }

        @Override
        VectorSpecies<Byte> bytesPerLane() {
            return BYTES;
        }
    }

    private static final class Bits256 extends SimdWidth {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
        private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;

        @Override
        VectorSpecies<Float> species() {
            return SPECIES;
        }

        @Override
        VectorSpecies<Integer> ints() {
            return INTS;
        }

        @Override
        VectorSpecies<Byte> bytesPerLane() {
            return BYTES;
        }
    }

    private static final class Bits512 extends SimdWidth {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
        private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_128;

        @Override
        VectorSpecies<Float> species() {
            return SPECIES;
        }

        @Override
        VectorSpecies<Integer> ints() {
            return INTS;
        }

        @Override
        VectorSpecies<Byte> bytesPerLane() {
            return BYTES;
        }
    }
}
