/**
 * Internal (not exported): the experiment report of {@code mnist.jar}: {@code results.json},
 * a self-contained {@code report.html} and its SVG figures, drawn by our own code from plain data.
 *
 * <p>The entry point is {@link vecgrad.app.report.Report#writeAll}, fed an
 * {@link vecgrad.app.report.ExperimentReport} (immutable records: the run configuration, one
 * {@link vecgrad.app.report.MethodResult} per training run, the confusion matrix, misclassified
 * digits, and the forward and backward {@link vecgrad.autodiff.ComputationGraph}s recorded by the tape,
 * drawn by our layered layout and written as DOT by {@link vecgrad.autodiff.ComputationGraph#toDot()},
 * so there is one graph model and one DOT writer). Single figures come from
 * {@link vecgrad.app.report.Figures}. A trained model of any layers adds a
 * {@link vecgrad.app.report.ModelView} ({@code ExperimentReport.withModel}): for a convnet, the network as layer
 * boxes, the first convolution's filters and its feature maps for a few test digits.
 */
package vecgrad.app.report;
