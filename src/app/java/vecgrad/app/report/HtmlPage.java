package vecgrad.app.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG; no script, font, image or link
 * fetched) with the setup, the results tables and the six figures (eight for a convnet: its filters
 * and feature maps), each in a {@code <figure>} with a stable id that {@code .ci/browser-test} checks.
 */
final class HtmlPage {

    /** The figure ids, in page order. */
    static final List<String> FIGURE_IDS =
            List.of("fig-curves", "fig-confusion", "fig-misclassified", "fig-network", "fig-forward", "fig-backward");

    /** The figure ids of a convnet's page, in page order. */
    static final List<String> CONVNET_FIGURE_IDS = List.of("fig-curves", "fig-confusion", "fig-misclassified",
            "fig-network", "fig-filters", "fig-feature-maps", "fig-forward", "fig-backward");

    private static final Map<String, String> METHOD_NOTES = Map.of(
            "tape", "custom loop: forward pass recorded on a GradientTape, gradients from the tape, then an Adam step "
                    + "(the report's tf.GradientTape)",
            "fit", "Model.fit, the built-in training loop (the report's model.fit())",
            "manual", "hand-written backward pass from the report's Section 4 equations, no tape");

    private static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f3f4f6; color: #111827;
                   font: 16px/1.5 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; }
            main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: #ffffff; }
            h1 { font-size: 1.6em; line-height: 1.25; margin: 0.4em 0 0.5em; }
            h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #e5e7eb; padding-bottom: 0.2em; }
            p, li { max-width: 60em; }
            code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace; font-size: 0.9em; }
            nav a { margin-right: 1em; white-space: nowrap; }
            dl.setup { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0; }
            dl.setup dt { color: #4b5563; }
            dl.setup dd { margin: 0; font-variant-numeric: tabular-nums; }
            table { border-collapse: collapse; margin: 0.6em 0 1em; font-variant-numeric: tabular-nums; }
            th, td { padding: 5px 12px; border-bottom: 1px solid #e5e7eb; }
            th { text-align: left; background: #f9fafb; font-weight: 600; }
            td.num, th.num { text-align: right; }
            td.best { font-weight: 700; }
            figure { margin: 1.8em 0; padding: 14px; border: 1px solid #e5e7eb; border-radius: 6px; }
            figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
            figcaption { margin-top: 0.8em; color: #374151; font-size: 0.95em; }
            figcaption b { color: #111827; }
            footer { margin-top: 2.5em; color: #6b7280; font-size: 0.85em; }
            """;

    private HtmlPage() {
    }

    static String of(ExperimentReport r, Map<String, String> svgs) {
        RunConfig c = r.config();
        ModelView model = r.model() != null && r.model().convolutional() ? r.model() : null;
        String arch = model != null || c.model().equals("cnn") ? "convolutional (Keras' Simple MNIST convnet)"
                : NetworkDiagram.join(c.layerSizes());
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>MNIST ").append(model != null ? "convnet" : "MLP " + arch).append(": vecgrad report</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>Handwritten digits with a ").append(arch).append(" network, trained ")
                .append(r.methods().stream().map(MethodResult::name).distinct().count() == 1 ? "once" : "several ways")
                .append("</h1>\n");
        h.append("<p>This page rebuilds, in pure Java with vecgrad, the experiment of the report <i>Implementation and ")
                .append("Analysis of a Multi-Layer Neural Network for Handwritten Digit Classification using GradientTape ")
                .append("and model.fit()</i>: MNIST digits (28 × 28 pixels, 10 classes), ")
                .append(model != null ? "here with a convolutional network (" + esc(layerList(model)) + ") in place of its "
                        + "fully connected one" : "a fully connected network with ")
                .append(model != null ? "" : c.hidden().isEmpty() ? "no hidden layer"
                        : c.hidden().size() + " hidden ReLU layer" + (c.hidden().size() == 1 ? "" : "s") + " of "
                                + listOf(c.hidden()) + " units"
                                + (c.regularisers().isEmpty() ? "" : " (each with " + c.regularisers() + ")"))
                .append(model != null ? ", trained with Adam for " : " and a softmax output, trained with Adam for ")
                .append(c.epochs())
                .append(c.epochs() == 1 ? " epoch" : " epochs").append(" in batches of ").append(c.batchSize())
                .append(". The report's Figure 1 (the network) is <a href=\"#fig-network\">drawn here</a>; its Figures 2 ")
                .append("and 3 (forward and backward computation graphs) are <a href=\"#fig-forward\">the forward</a> and ")
                .append("<a href=\"#fig-backward\">the backward graph</a> below, generated from one real training step; ")
                .append("its Table 1 (test accuracy 0.9773 with <code>tf.GradientTape</code>, 0.9750 with ")
                .append("<code>model.fit()</code>) ")
                .append(model != null ? "measured its fully connected network; <a href=\"#results\">the results table</a> "
                        + "gives the convnet's accuracy by the same two methods.</p>\n"
                        : "corresponds to <a href=\"#results\">the results table</a>.</p>\n");
        h.append("<nav>");
        for (String id : model != null ? CONVNET_FIGURE_IDS : FIGURE_IDS) {
            h.append("<a href=\"#").append(id).append("\">").append(id.substring(4)).append("</a>");
        }
        h.append("</nav>\n");

        setup(h, r, model);
        results(h, r);

        String main = r.evaluatedMethod();
        figure(h, "fig-curves", svgs.get("curves"), "<b>Training curves.</b> Loss (left) and accuracy (right) after each "
                + "epoch: training solid, validation dashed, one colour and marker per method"
                + (r.methods().size() > CurvesChart.firstPerName(r.methods()).size() ? " (first seed of each method)" : "")
                + ". Methods that compute the same thing draw the same curve: the lines are nested, thickest first.");
        figure(h, "fig-confusion", svgs.get("confusion"), "<b>Confusion matrix</b> on the test set (" + esc(main)
                + "): row = true digit, column = predicted digit; colour on a logarithmic scale, empty cells are 0. "
                + "The right column is each digit's recall.");
        figure(h, "fig-misclassified", svgs.get("misclassified"), "<b>Misclassified test digits</b> (" + esc(main)
                + "), as the network saw them: the true and the predicted label, the predicted class's probability "
                + "and the image's index in the test set.");
        if (model == null) {
            figure(h, "fig-network", svgs.get("network"), "<b>The network</b> (the report's Figure 1): "
                    + c.layerSizes().size() + " layers; wide layers are drawn as their first and last units, with every "
                    + "drawn connection. Each layer is fully connected to the next through a weight matrix W and a bias b.");
        } else {
            figure(h, "fig-network", svgs.get("network"), "<b>The network</b> (in place of the report's Figure 1): "
                    + "one box per layer with its output shape (height × width × channels), its kernel or pool size and "
                    + "activation, and its number of weights.");
            figure(h, "fig-filters", svgs.get("filters"), "<b>Learned filters</b> of the first convolution: each "
                    + "kernel as a small grid, one square per weight, on one grey scale for all filters (black the most "
                    + "negative weight, white the most positive).");
            figure(h, "fig-feature-maps", svgs.get("feature-maps"), "<b>Feature maps</b> of the first convolution for "
                    + "the first test digits: each row a digit, then that layer's output (after its activation) in its "
                    + "first channels, dark where the channel responds; each channel on its own scale over the digits shown.");
        }
        figure(h, "fig-forward", svgs.get("forward"), "<b>Forward computation graph</b> of one training step (the "
                + "report's Figure 2): inputs and parameters at the top of their first use, operations in rounded "
                + "boxes, down to the loss. Laid out by our own layered (Sugiyama-style) drawing; <code>forward.dot</code> "
                + "holds the same graph for Graphviz.");
        figure(h, "fig-backward", svgs.get("backward"), "<b>Backward computation graph</b> of the same step (the "
                + "report's Figure 3): from the seed ∂L/∂L = 1 at the top, each backward rule the tape applies (the op's "
                + "name with a prime, then the gradient of each input from the incoming gradient g), down to the gradient "
                + "of every weight and bias. Violet edges carry gradients, labelled with their name and shape; "
                + "<code>backward.dot</code> holds the same graph for Graphviz.");

        h.append("<footer>Written by <code>mnist.jar</code> (vecgrad). Self-contained: the figures are inline SVG, the page ")
                .append("loads nothing else. The same data is in <code>results.json</code>.</footer>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void setup(StringBuilder h, ExperimentReport r, ModelView model) {
        RunConfig c = r.config();
        h.append("<h2 id=\"setup\">Setup</h2>\n<dl class=\"setup\">\n");
        if (model != null) {
            dd(h, "layers", esc(layerList(model)));
        } else {
            dd(h, "layers", esc(NetworkDiagram.join(c.layerSizes())) + " (ReLU hidden layers"
                    + (c.regularisers().isEmpty() ? "" : " with " + esc(c.regularisers())) + ", softmax output)");
        }
        dd(h, "epochs", Integer.toString(c.epochs()));
        dd(h, "batch size", Integer.toString(c.batchSize()));
        dd(h, "learning rate", esc(Json.number(c.learningRate())) + " (Adam)");
        dd(h, "seed", Long.toString(c.seed()));
        dd(h, "threads", Integer.toString(c.threads()));
        dd(h, "JDK", esc(c.jdk()));
        dd(h, "kernels", "<code>" + esc(c.kernels()) + "</code>");
        h.append("</dl>\n");
        boolean any = false;
        for (String name : r.methods().stream().map(MethodResult::name).distinct().toList()) {
            String note = METHOD_NOTES.get(name);
            if (note != null) {
                h.append(any ? "" : "<ul>\n").append("<li><code>").append(esc(name)).append("</code>: ")
                        .append(esc(note)).append("</li>\n");
                any = true;
            }
        }
        h.append(any ? "</ul>\n" : "");
    }

    private static void dd(StringBuilder h, String term, String html) {
        h.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>\n");
    }

    private static void results(StringBuilder h, ExperimentReport r) {
        h.append("<h2 id=\"results\">Results</h2>\n<table class=\"results\">\n<thead><tr><th>method</th>")
                .append("<th class=\"num\">seed</th><th class=\"num\">test accuracy</th><th class=\"num\">test loss</th>")
                .append("<th class=\"num\">best validation accuracy</th><th class=\"num\">training time</th>")
                .append("<th class=\"num\">samples/s</th></tr></thead>\n<tbody>\n");
        double best = r.methods().stream().mapToDouble(MethodResult::testAccuracy).filter(Double::isFinite).max().orElse(Double.NaN);
        for (MethodResult m : r.methods()) {
            h.append("<tr><td><code>").append(esc(m.name())).append("</code></td>")
                    .append(num(Long.toString(m.seed())))
                    .append("<td class=\"num").append(m.testAccuracy() == best ? " best" : "").append("\">")
                    .append(fixed(m.testAccuracy(), 4)).append("</td>")
                    .append(num(fixed(m.testLoss(), 4)))
                    .append(num(fixed(m.bestValAccuracy(), 4)))
                    .append(num(Double.isFinite(m.trainSeconds()) ? fixed(m.trainSeconds(), 1) + " s" : "–"))
                    .append(num(Double.isFinite(m.samplesPerSecond())
                            ? String.format(Locale.ROOT, "%,.0f", m.samplesPerSecond()) : "–"))
                    .append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");

        if (!r.maxWeightDifference().isEmpty()) {
            h.append("<p>Largest absolute difference between the final weights of two methods (0 means bit-identical):</p>\n")
                    .append("<table class=\"weight-difference\">\n<thead><tr><th>methods</th><th class=\"num\">max |Δw|</th>")
                    .append("</tr></thead>\n<tbody>\n");
            r.maxWeightDifference().forEach((k, v) -> h.append("<tr><td><code>").append(esc(k)).append("</code></td>")
                    .append(num(v == 0 ? "0" : Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "–"))
                    .append("</tr>\n"));
            h.append("</tbody>\n</table>\n");
        }
        if (!r.summary().isEmpty()) {
            h.append("<p>Over several seeds (mean ± sample standard deviation):</p>\n")
                    .append("<table class=\"summary\">\n<thead><tr><th>method</th><th class=\"num\">seeds</th>")
                    .append("<th class=\"num\">test accuracy</th><th class=\"num\">test loss</th></tr></thead>\n<tbody>\n");
            for (MethodSummary s : r.summary()) {
                h.append("<tr><td><code>").append(esc(s.name())).append("</code></td>")
                        .append(num(Integer.toString(s.seeds())))
                        .append(num(fixed(s.meanTestAccuracy(), 4) + " ± " + fixed(s.stdTestAccuracy(), 4)))
                        .append(num(fixed(s.meanTestLoss(), 4) + " ± " + fixed(s.stdTestLoss(), 4)))
                        .append("</tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
    }

    private static void figure(StringBuilder h, String id, String svg, String captionHtml) {
        h.append("<figure id=\"").append(id).append("\">\n").append(Svg.inline(svg))
                .append("<figcaption>").append(captionHtml).append("</figcaption>\n</figure>\n");
    }

    private static String num(String text) {
        return "<td class=\"num\">" + text + "</td>";
    }

    private static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "–";
    }

    private static String listOf(List<Integer> xs) {
        if (xs.size() == 1) {
            return xs.get(0).toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            sb.append(i == 0 ? "" : i == xs.size() - 1 ? " and " : ", ").append(xs.get(i));
        }
        return sb.toString();
    }

    /** E.g. {@code conv2d 26×26×32 → max_pooling2d 13×13×32 → ... → dense 10}. */
    static String layerList(ModelView model) {
        StringBuilder sb = new StringBuilder();
        for (ModelView.LayerView l : model.layers()) {
            sb.append(sb.length() == 0 ? "" : " → ").append(l.name()).append(' ').append(l.shapeText());
        }
        return sb.toString();
    }

    private static String esc(String s) {
        return Svg.esc(s);
    }
}
