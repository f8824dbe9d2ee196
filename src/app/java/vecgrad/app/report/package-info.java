/**
 * Internal (not exported): the experiment report of {@code mnist.jar}: {@code results.json},
 * a self-contained {@code report.html} and its SVG figures, drawn by our own code from plain data.
 *
 * <p>The entry point is {@link vecgrad.app.report.Report#writeAll}, fed an
 * {@link vecgrad.app.report.ExperimentReport} (immutable records: the run configuration, one
 * {@link vecgrad.app.report.MethodResult} per training run, the confusion matrix, misclassified
 * digits and the forward and backward {@link vecgrad.app.report.GraphModel}s). Single figures come
 * from {@link vecgrad.app.report.Figures}. This package depends on the JDK only; it knows nothing
 * of tensors or the tape, so the caller converts its results into these records.
 */
package vecgrad.app.report;
