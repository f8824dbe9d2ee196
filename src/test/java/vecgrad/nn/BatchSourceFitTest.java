package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.data.BatchSource;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.data.IdxArray;
import vecgrad.data.IdxFile;
import vecgrad.data.Mnist;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/** fit over a batch source: the same computation as in-memory fit, and Keras' steps-per-epoch rules. */
final class BatchSourceFitTest {

    private static Sequential compiled() {
        Sequential m = SequentialTest.small(7);
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    private static BatchSource.Batch copy(Batches.Batch b) {
        return new BatchSource.Batch(b.x().copy(), b.y().copy());
    }

    private static void assertSameWeights(Sequential a, Sequential b) {
        for (int i = 0; i < a.trainableVariables().size(); i++) {
            assertThat(a.trainableVariables().get(i).data()).as(a.trainableVariables().get(i).name())
                    .isEqualTo(b.trainableVariables().get(i).data());
        }
    }

    @Test
    void generatorOfTheSameBatches_bitIdenticalToInMemoryFit() {
        Tensor[] d = SequentialTest.blobs(70, 5, 9);
        Tensor[] v = SequentialTest.blobs(20, 5, 10);
        Sequential inMemory = compiled();
        History h1 = inMemory.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(16).seed(5)
                .validationData(v[0], v[1]).verbose(0));

        // An endless generator that replays fit's own shuffled order: Batches.shuffled with the same seed,
        // a new order each pass, as fit draws it.
        Batches shuffled = Batches.shuffled(d[0], d[1], 16, new Random(5));
        Iterator<Batches.Batch>[] pass = new Iterator[] {shuffled.iterator()};
        BatchSource generator = BatchSource.generator(() -> {
            if (!pass[0].hasNext()) {
                pass[0] = shuffled.iterator();
            }
            return copy(pass[0].next());
        });
        Sequential streamed = compiled();
        History h2 = streamed.fit(generator, FitOptions.defaults().epochs(3).stepsPerEpoch(5)
                .validationData(BatchSource.of(1, () -> List.of(new BatchSource.Batch(v[0], v[1])).iterator())).verbose(0));

        assertSameWeights(inMemory, streamed);
        assertThat(h2.get("loss")).containsExactly(h1.get("loss"));
        assertThat(h2.get("accuracy")).containsExactly(h1.get("accuracy"));
        // the validation: one batch of 20 here, in batches of 32 (one batch) in memory
        assertThat(h2.get("val_loss")).containsExactly(h1.get("val_loss"));
    }

    @Test
    void idxStreamedFromDisk_bitIdenticalToTheDatasetInMemory(@TempDir Path dir) throws Exception {
        Random rng = new Random(3);
        int n = 90;
        byte[] pixels = new byte[n * 5];
        rng.nextBytes(pixels);
        byte[] labels = new byte[n];
        int[] labelInts = new int[n];
        for (int i = 0; i < n; i++) {
            labelInts[i] = rng.nextInt(3);
            labels[i] = (byte) labelInts[i];
        }
        IdxFile.writeGzip(dir.resolve("x.idx.gz"), IdxArray.ofUnsignedBytes(pixels, n, 5));
        IdxFile.write(dir.resolve("y.idx"), IdxArray.ofUnsignedBytes(labels, n));
        Dataset data = Dataset.ofPixels(pixels, 5, labelInts);

        Sequential inMemory = compiled();
        inMemory.fit(data, FitOptions.defaults().epochs(2).batchSize(32).shuffle(false).verbose(0));
        Sequential streamed = compiled();
        BatchSource source = BatchSource.idx(dir.resolve("x.idx.gz"), dir.resolve("y.idx"), 3, 32);
        assertThat(source.batches()).isEqualTo(3);
        streamed.fit(source, FitOptions.defaults().epochs(2).verbose(0));
        assertSameWeights(inMemory, streamed);

        labels[40] = 3;
        IdxFile.write(dir.resolve("bad.idx"), IdxArray.ofUnsignedBytes(labels, n));
        assertThatThrownBy(() -> BatchSource.idx(dir.resolve("x.idx.gz"), dir.resolve("bad.idx"), 3, 32))
                .hasMessageContaining("label 3 at row 40").hasMessageContaining("not below the 3 classes");
        IdxFile.write(dir.resolve("short.idx"), IdxArray.ofUnsignedBytes(new byte[5], 5));
        assertThatThrownBy(() -> BatchSource.idx(dir.resolve("x.idx.gz"), dir.resolve("short.idx"), 3, 32))
                .hasMessageContaining("expected as many labels as images, and some, got 5 labels");
    }

    @Test
    void mnistStreamedFromTheIdxFiles_sameWeightsAsMnistLoad() throws Exception {
        // The example of issue 11: MNIST's test images streamed from test-data/mnist in batches of 500,
        // against the same images loaded whole.
        Path folder = Path.of("test-data/mnist");
        Dataset test = Mnist.load(folder).test();
        Sequential inMemory = new Sequential(784, 1, new Dense(16, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        inMemory.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        inMemory.fit(test, FitOptions.defaults().batchSize(500).shuffle(false).verbose(0));
        Sequential streamed = new Sequential(784, 1, new Dense(16, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        streamed.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        streamed.fit(BatchSource.idx(folder.resolve(Mnist.TEST_IMAGES + ".gz"), folder.resolve(Mnist.TEST_LABELS + ".gz"),
                10, 500), FitOptions.defaults().verbose(0));
        assertSameWeights(inMemory, streamed);
    }

    @Test
    void idxStream_sameWeightsOnOneAndTwoThreads() throws Exception {
        Path folder = Path.of("test-data/mnist");
        float[][] one = streamReportNetwork(folder, 1);
        float[][] two = streamReportNetwork(folder, 2);
        for (int i = 0; i < one.length; i++) {
            assertThat(two[i]).as("weight %d, 2 vs 1 threads", i).isEqualTo(one[i]);
        }
    }

    private static float[][] streamReportNetwork(Path folder, int threads) throws Exception {
        int saved = vecgrad.kernel.Parallel.threads();
        vecgrad.kernel.Parallel.setThreads(threads);
        try {
            Sequential model = SequentialTest.reportNetwork(11);
            model.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
            model.fit(BatchSource.idx(folder.resolve(Mnist.TEST_IMAGES + ".gz"), folder.resolve(Mnist.TEST_LABELS + ".gz"),
                    10, 1000), FitOptions.defaults().stepsPerEpoch(4).epochs(2).verbose(0));
            float[][] w = new float[model.trainableVariables().size()][];
            for (int i = 0; i < w.length; i++) {
                w[i] = model.trainableVariables().get(i).data().clone();
            }
            return w;
        } finally {
            vecgrad.kernel.Parallel.setThreads(saved);
        }
    }

    @Test
    void stepsPerEpoch_carriesThePassOnAcrossEpochs_asKerasEpochIterator() {
        // keras/src/trainers/epoch_iterator.py with num_batches 5 and steps_per_epoch 2: epochs of 2, 2, then
        // the pass runs out after 1 (warning), a new pass: 2, 2, 1.
        Tensor[] d = SequentialTest.blobs(5, 5, 1);
        List<String> drawn = new ArrayList<>();
        int[] passes = {0};
        BatchSource source = BatchSource.of(5, () -> {
            int p = ++passes[0];
            Iterator<Batches.Batch> it = Batches.inOrder(d[0], d[1], 1).iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public BatchSource.Batch next() {
                    Batches.Batch b = it.next();
                    drawn.add(p + "." + b.number());
                    return copy(b);
                }
            };
        });
        List<Integer> stepsPerEpoch = new ArrayList<>();
        Callback count = new Callback() {
            private int steps;

            @Override
            public void onEpochBegin(int epoch) {
                steps = 0;
            }

            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                steps = batch;
            }

            @Override
            public void onEpochEnd(EpochLogs logs) {
                stepsPerEpoch.add(steps);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        compiled().fit(source, FitOptions.defaults().epochs(6).stepsPerEpoch(2).callbacks(count)
                .output(new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertThat(stepsPerEpoch).containsExactly(2, 2, 1, 2, 2, 1);
        assertThat(drawn).containsExactly("1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Warning: your input ran out of data at epoch 3, step 2 of 2");
    }

    @Test
    void unknownLength_wholePassesAndStepsUnknownInParams() {
        Tensor[] d = SequentialTest.blobs(40, 5, 1);
        BatchSource source = BatchSource.of(BatchSource.UNKNOWN, () -> {
            Iterator<Batches.Batch> it = Batches.inOrder(d[0], d[1], 16).iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public BatchSource.Batch next() {
                    return copy(it.next());
                }
            };
        });
        List<String> seen = new ArrayList<>();
        compiled().fit(source, FitOptions.defaults().epochs(2).verbose(0).callbacks(new Callback() {
            @Override
            public void setParams(TrainingParams params) {
                seen.add("steps " + params.steps() + " batch " + params.batchSize());
            }

            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                seen.add(logs.epoch() + "." + batch + ":" + logs.size());
            }
        }));
        assertThat(seen).containsExactly("steps -1 batch -1", "1.1:16", "1.2:16", "1.3:8", "2.1:16", "2.2:16", "2.3:8");
    }

    @Test
    void badSourcesAndOptions_refusedBeforeTheFirstStep() {
        Tensor[] d = SequentialTest.blobs(16, 5, 1);
        BatchSource endless = BatchSource.generator(() -> new BatchSource.Batch(d[0], d[1]));
        Sequential m = compiled();
        float[] before = m.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> m.fit(endless, FitOptions.defaults().verbose(0)))
                .hasMessageContaining("the batch source is endless (BatchSource.INFINITE): give FitOptions.stepsPerEpoch");
        assertThatThrownBy(() -> m.fit(endless, FitOptions.defaults().stepsPerEpoch(2).validationSplit(0.2).verbose(0)))
                .hasMessageContaining("validationSplit cannot split a batch source");
        assertThatThrownBy(() -> m.fit(endless, FitOptions.defaults().stepsPerEpoch(2).validationData(endless).verbose(0)))
                .hasMessageContaining("the validation batch source is endless");
        assertThatThrownBy(() -> m.fit(endless, FitOptions.defaults().stepsPerEpoch(2).sampleWeights(Tensor.zeros(16))
                .verbose(0))).hasMessageContaining("sample weights of a batch source come with its batches");
        assertThat(m.trainableVariables().get(0).data()).as("nothing trained").isEqualTo(before);
        assertThatThrownBy(() -> FitOptions.defaults().stepsPerEpoch(-1)).hasMessageContaining("stepsPerEpoch must be");
        assertThatThrownBy(() -> BatchSource.of(0, List.<BatchSource.Batch>of()::iterator))
                .hasMessageContaining("expected batches >= 1 or UNKNOWN (-1), got 0");

        // A batch that does not fit the model is refused at its step, naming it, before its update.
        int[] calls = {0};
        BatchSource third = BatchSource.generator(() -> ++calls[0] == 3
                ? new BatchSource.Batch(Tensor.zeros(4, 6), Tensor.zeros(4, 3)) : new BatchSource.Batch(d[0], d[1]));
        assertThatThrownBy(() -> m.fit(third, FitOptions.defaults().stepsPerEpoch(5).verbose(0)))
                .hasMessageContaining("fit (batch source, epoch 1, step 3): expected x of shape (samples, 5), got (4, 6)");
        assertThat(m.optimizer().iterations()).isEqualTo(2);
    }
}
