/**
 * Internal (not exported): the {@code mnist.jar} command line, {@link vecgrad.app.Main}.
 *
 * <p>The default command trains the report's network with each method ({@code tape}: a custom
 * GradientTape loop; {@code fit}: Sequential.fit; {@code manual}: the hand-derived gradients) from
 * the same seed, prints the results table and writes the report ({@link vecgrad.app.report});
 * {@code predict} classifies digit images ({@link vecgrad.app.digits}) or evaluates saved weights.
 * Every failure is one line on standard error with exit status 1 (data or files) or 2 (usage).
 */
package vecgrad.app;
