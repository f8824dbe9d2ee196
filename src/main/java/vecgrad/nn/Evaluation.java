package vecgrad.nn;

/**
 * The result of {@link Model#evaluate}: the mean loss and the accuracy over the samples.
 *
 * @param loss the loss averaged over the samples
 * @param accuracy the fraction of samples whose predicted class is the true one (NaN if not compiled with accuracy)
 * @param samples the number of samples evaluated
 */
public record Evaluation(double loss, double accuracy, int samples) {
}
