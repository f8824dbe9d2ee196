package vecgrad.app.report;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one training run: one method ({@code "tape"}, {@code "fit"}, {@code "manual"}) with
 * one seed. Values not measured are {@code NaN} (written as JSON {@code null}).
 *
 * @param name             the method's name, non-blank
 * @param seed             the seed of this run
 * @param testAccuracy     accuracy on the test set, in [0, 1]
 * @param testLoss         mean loss on the test set
 * @param bestValAccuracy  the best validation accuracy over the epochs, in [0, 1]
 * @param trainSeconds     wall-clock training time
 * @param samplesPerSecond training throughput
 * @param history          one entry per epoch, epochs strictly increasing
 */
public record MethodResult(
        String name,
        long seed,
        double testAccuracy,
        double testLoss,
        double bestValAccuracy,
        double trainSeconds,
        double samplesPerSecond,
        List<EpochStats> history) {

    /** Checks every field; the list is copied. */
    public MethodResult {
        Checks.name("name", name);
        Checks.fractionOrNaN("testAccuracy", testAccuracy);
        Checks.fractionOrNaN("bestValAccuracy", bestValAccuracy);
        Objects.requireNonNull(history, "history");
        history = List.copyOf(history);
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i).epoch() <= history.get(i - 1).epoch()) {
                throw new IllegalArgumentException("expected strictly increasing epochs in the history of '" + name
                        + "', got " + history.get(i - 1).epoch() + " then " + history.get(i).epoch());
            }
        }
    }
}
